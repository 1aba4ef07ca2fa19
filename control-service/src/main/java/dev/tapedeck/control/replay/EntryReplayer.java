package dev.tapedeck.control.replay;

import dev.tapedeck.control.correlate.Steps;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.correlation.Correlation;
import dev.tapedeck.correlation.SourceReader;
import dev.tapedeck.correlation.Step.Header;
import dev.tapedeck.correlation.Substitution;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Replays one recorded entry and compares the answer with the recording, in five steps:
 *
 * <ol>
 *   <li>an entry that cannot be replayed is skipped, saying why ({@link ReplayPlan#skipReason});
 *   <li>the request is sent as recorded, correlated values replaced by the new ones;
 *   <li>no answer (network, timeout, egress refusal) fails the entry;
 *   <li>the values this answer hands out for later requests (the correlations it is the source
 *       of) are read into the substitution;
 *   <li>the answer is compared with the recorded one, correlated values replaced there too, so a
 *       new token where the recording had the old one is no difference.
 * </ol>
 */
@ApplicationScoped
public class EntryReplayer {
  private final ReplaySender sender;

  public EntryReplayer(ReplaySender sender) {
    this.sender = sender;
  }

  /** How one entry is replayed. */
  record Settings(java.net.URI target, int timeoutSeconds, boolean followRedirects, Noise noise) {}

  /** The result of replaying {@code entry}, and the answer (null when not sent). */
  record Replayed(EntryResult result, ReplaySender.Answer answer) {}

  Replayed replay(EntryView entry, Settings settings, Substitution values, List<Correlation> correlations) {
    var skip = ReplayPlan.skipReason(entry);
    if (skip.isPresent()) {
      return new Replayed(result(entry, entry.request() == null ? null : entry.request().method(),
          entry.request() == null ? null : entry.request().url(), EntryResult.SKIPPED, null, null, skip.get(), null, List.of()), null);
    }
    ReplaySender.Outgoing out;
    List<String> used;
    synchronized (values) {
      out = ReplayPlan.of(entry, settings.target(), values);
      used = correlations.stream()
          .filter(c -> values.values().containsKey(c.value()))
          .filter(c -> c.targets().stream().anyMatch(t -> t.entryId().equals(entry.id())))
          .map(Correlation::id)
          .toList();
    }
    return send(entry, out, settings, values, correlations, used);
  }

  /** Sends {@code out} for {@code entry} and compares; {@code out} may carry the caller's overrides. */
  Replayed send(
      EntryView entry, ReplaySender.Outgoing out, Settings settings, Substitution values,
      List<Correlation> correlations, List<String> used) {
    ReplaySender.Answer answer = sender.send(out, settings.timeoutSeconds(), settings.followRedirects());
    if (answer.error() != null) {
      return new Replayed(result(entry, out.method(), out.url().toString(), EntryResult.FAILED, answer, null, null, answer.error(), used), answer);
    }
    String recordedBody;
    List<Header> recordedHeaders;
    synchronized (values) {
      String text = new String(answer.body(), StandardCharsets.UTF_8);
      for (Correlation c : correlations) {
        if (c.source().entryId().equals(entry.id())) {
          SourceReader.read(c.source(), answer.headers(), text).ifPresent(v -> values.put(c.value(), v));
        }
      }
      recordedBody = ReplayPlan.recordedBody(entry, values);
      recordedHeaders = Steps.headers(entry.response().headers()).stream()
          .map(h -> new Header(h.name(), values.apply(h.value()))).toList();
    }
    ResponseComparison.Result compared =
        ResponseComparison.compare(entry.response().statusCode(), recordedHeaders, recordedBody, answer, settings.noise());
    String outcome = compared.differenceCount() == 0 ? EntryResult.MATCHED : EntryResult.MISMATCHED;
    return new Replayed(result(entry, out.method(), out.url().toString(), outcome, answer, compared, null, null, used), answer);
  }

  private static EntryResult result(
      EntryView entry, String method, String url, String outcome, ReplaySender.Answer answer,
      ResponseComparison.Result compared, String reason, String error, List<String> used) {
    Integer recordedStatus = entry.response() == null ? null : entry.response().statusCode();
    return new EntryResult(
        entry.id(),
        entry.sequence(),
        method,
        url,
        outcome,
        new EntryResult.Side(recordedStatus, answer == null || answer.status() == 0 ? null : answer.status()),
        new EntryResult.Side(entry.durationMs(), answer == null ? null : answer.durationMs()),
        compared == null ? null : compared.differences(),
        compared == null ? null : compared.differenceCount(),
        compared == null ? null : compared.noise(),
        used.isEmpty() ? null : used,
        answer != null && answer.truncated() ? true : null,
        reason,
        error);
  }
}
