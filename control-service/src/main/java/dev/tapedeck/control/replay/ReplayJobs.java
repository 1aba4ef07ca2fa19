package dev.tapedeck.control.replay;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.correlate.Steps;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.entries.IngestionWait;
import dev.tapedeck.correlation.Correlation;
import dev.tapedeck.correlation.CorrelationEngine;
import dev.tapedeck.correlation.CorrelationOptions;
import dev.tapedeck.correlation.Substitution;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.jboss.logging.Logger;

/**
 * Session replays as background jobs. A job runs in two passes over the session's entries, a page
 * at a time:
 *
 * <ol>
 *   <li>the correlation engine and the noise detector read the session's entries (all of them,
 *       so a value flowing to entries not selected is still known as correlated);
 *   <li>the entries are replayed: in recorded order, one at a time, by default (a flow depends on
 *       it: each correlated value is read from the new answer before the later requests that send
 *       it); with {@code concurrency} above 1, up to that many at once, a correlated value then
 *       replaced only when its source answered first.
 * </ol>
 *
 * Jobs running at once are capped per user and in all (429); finished jobs are kept in memory, the
 * latest {@code tapedeck.replay.jobs-kept}, and are gone after a restart.
 */
@ApplicationScoped
public class ReplayJobs {
  private static final Logger LOG = Logger.getLogger(ReplayJobs.class);

  private final ReplayEntries entries;
  private final IngestionWait ingestion;
  private final EntryReplayer replayer;
  private final NoiseStore noiseStore;
  private final ReplayLimits limits;
  private final Clock clock;
  private final Map<String, ReplayJob> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runners = Executors.newVirtualThreadPerTaskExecutor();

  public ReplayJobs(
      ReplayEntries entries,
      IngestionWait ingestion,
      EntryReplayer replayer,
      NoiseStore noiseStore,
      ReplayLimits limits,
      Clock clock) {
    this.entries = entries;
    this.ingestion = ingestion;
    this.replayer = replayer;
    this.noiseStore = noiseStore;
    this.limits = limits;
    this.clock = clock;
  }

  @PreDestroy
  void stop() {
    runners.shutdownNow();
  }

  /** What a session replay does, validated. */
  record Options(URI target, int concurrency, int timeoutSeconds, boolean followRedirects, List<String> entryIds) {}

  /** Starts a replay of {@code sessionId} for {@code ownerId}; 429 when too many run. */
  synchronized ReplayJob start(String sessionId, String ownerId, Options options) {
    long mine = jobs.values().stream().filter(j -> j.running() && j.ownerId.equals(ownerId)).count();
    long all = jobs.values().stream().filter(ReplayJob::running).count();
    if (mine >= limits.maxRunningPerUser() || all >= limits.maxRunning()) {
      throw new ApiException(
          429, "too_many_replays",
          "At most " + limits.maxRunningPerUser() + " replays per user and " + limits.maxRunning()
              + " in all run at once (tapedeck.replay.max-running-per-user, tapedeck.replay.max-running); wait for one to finish");
    }
    ReplayJob job = new ReplayJob(UUID.randomUUID().toString(), sessionId, ownerId,
        options.target() == null ? null : options.target().toString(), options.concurrency(), clock.instant());
    jobs.put(job.id, job);
    prune();
    runners.submit(() -> run(job, options));
    return job;
  }

  /** The job {@code jobId} of {@code sessionId}, if there is one. */
  Optional<ReplayJob> find(String sessionId, String jobId) {
    return Optional.ofNullable(jobs.get(jobId)).filter(j -> j.sessionId.equals(sessionId));
  }

  private void prune() {
    List<ReplayJob> finished = new ArrayList<>(jobs.values().stream().filter(j -> !j.running()).toList());
    finished.sort(Comparator.comparing(ReplayJob::finishedAt));
    for (int i = 0; i < finished.size() - limits.jobsKept(); i++) {
      jobs.remove(finished.get(i).id);
    }
  }

  /** The session's noise set: as edited, else the defaults and what the recording teaches. */
  NoiseSet noiseOf(String sessionId) {
    return noiseStore.find(sessionId).orElseGet(() -> {
      NoiseDetector detector = new NoiseDetector();
      entries.forEach(sessionId, List.of(), limits.maxEntries(), detector::observe);
      return detector.learned(NoiseSet.defaults());
    });
  }

  private void run(ReplayJob job, Options options) {
    try {
      ingestion.untilStored(job.sessionId);
      CorrelationEngine engine = new CorrelationEngine(CorrelationOptions.DEFAULTS);
      NoiseDetector detector = new NoiseDetector();
      // Correlations and noise come from the whole session, so a selected login entry still knows
      // its token flows into later requests even when those are not replayed.
      Set<String> selected = Set.copyOf(options.entryIds());
      int[] selectedCount = {0};
      entries.forEach(job.sessionId, List.of(), limits.maxEntries(), e -> {
        engine.observe(Steps.of(e));
        detector.observe(e);
        if (selected.isEmpty() || selected.contains(e.id())) {
          selectedCount[0]++;
        }
      });
      int count = selectedCount[0];
      List<Correlation> correlations = engine.correlations();
      job.planned(count, correlations.size());
      NoiseSet noise = noiseStore.find(job.sessionId).orElseGet(() -> detector.learned(NoiseSet.defaults()));
      EntryReplayer.Settings settings =
          new EntryReplayer.Settings(options.target(), options.timeoutSeconds(), options.followRedirects(), new Noise(noise));
      Substitution values = new Substitution();
      if (options.concurrency() <= 1) {
        entries.forEach(job.sessionId, options.entryIds(), limits.maxEntries(),
            e -> job.add(replayer.replay(e, settings, values, correlations).result()));
      } else {
        concurrently(job, options, settings, values, correlations);
      }
      job.finish(clock.instant(), null);
    } catch (RuntimeException e) {
      LOG.warnf(e, "Replay %s of session %s failed", job.id, job.sessionId);
      job.finish(clock.instant(), e.getMessage());
    }
  }

  private void concurrently(
      ReplayJob job, Options options, EntryReplayer.Settings settings, Substitution values,
      List<Correlation> correlations) {
    Semaphore slots = new Semaphore(options.concurrency());
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      entries.forEach(job.sessionId, options.entryIds(), limits.maxEntries(), (EntryView e) -> {
        slots.acquireUninterruptibly();
        pool.submit(() -> {
          try {
            job.add(replayer.replay(e, settings, values, correlations).result());
          } finally {
            slots.release();
          }
        });
      });
    }
  }
}
