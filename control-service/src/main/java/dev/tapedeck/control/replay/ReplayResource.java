package dev.tapedeck.control.replay;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.CurrentCaller;
import dev.tapedeck.control.correlate.Steps;
import dev.tapedeck.control.entries.BodyView;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.control.session.SessionService;
import dev.tapedeck.correlation.Step.Header;
import dev.tapedeck.correlation.Substitution;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Replay under {@code /api/v1/recorder/{id}}: one entry (answered at once), a whole session (a
 * background job: {@code 202} with the job and its {@code Location}, then {@code GET} the job for
 * its progress and, when done, the summary with its {@code verdict} and the per-entry results), and
 * the session's noise set. Only the session's owner (or the admin) reaches any of it; anyone else
 * gets 404.
 */
@Path("/api/v1/recorder")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Recorder")
public class ReplayResource {
  private final SessionService sessions;
  private final CurrentCaller caller;
  private final ReplayEntries entries;
  private final ReplayJobs jobs;
  private final EntryReplayer replayer;
  private final NoiseStore noiseStore;
  private final ReplayLimits limits;
  private final ReplayEgress egress;

  public ReplayResource(
      SessionService sessions, CurrentCaller caller, ReplayEntries entries, ReplayJobs jobs, EntryReplayer replayer,
      NoiseStore noiseStore, ReplayLimits limits, ReplayEgress egress) {
    this.sessions = sessions;
    this.caller = caller;
    this.entries = entries;
    this.jobs = jobs;
    this.replayer = replayer;
    this.noiseStore = noiseStore;
    this.limits = limits;
    this.egress = egress;
  }

  @POST
  @Path("/{id}/replay")
  @Operation(summary = "Replay a session (or the listed entries) against a target, in the background: 202 and the job")
  public Response replaySession(@PathParam("id") String id, ReplayRequests.SessionReplay body) {
    List<FieldError> errors = new ArrayList<>();
    ReplayJobs.Options options = ReplayRequests.check(body, limits, egress, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    ReplayJob job = jobs.start(session.id(), session.ownerId(), options);
    return Response.accepted(job.view(false))
        .location(URI.create("/api/v1/recorder/" + session.id() + "/replay/" + job.id))
        .build();
  }

  @GET
  @Path("/{id}/replay/{jobId}")
  @Operation(summary = "A session replay: status and progress, then matched/mismatched/failed/skipped, verdict and per-entry results")
  public ReplayJob.View replayJob(@PathParam("id") String id, @PathParam("jobId") String jobId) {
    Session session = sessions.get(caller.get(), id);
    return jobs.find(session.id(), jobId).orElseThrow(() -> ApiException.notFound("Replay " + jobId)).view(true);
  }

  /** A recorded or replayed answer. */
  public record Answer(Integer statusCode, List<EntryView.HeaderView> headers, String body, Boolean bodyTruncated, Double durationMs, String url) {}

  /** One entry replayed: the recorded answer beside the new one, and the differences. */
  public record EntryReplayResult(EntryResult result, Answer recorded, Answer replayed) {}

  @POST
  @Path("/{id}/entries/{entryId}/replay")
  @Operation(summary = "Replay one entry, optionally with a changed method, url, headers or body; the new answer beside the recorded one, with a diff")
  public EntryReplayResult replayEntry(
      @PathParam("id") String id, @PathParam("entryId") String entryId, ReplayRequests.EntryReplay body) {
    ReplayRequests.EntryReplay r = body == null ? new ReplayRequests.EntryReplay(null, null, null, null, null, null) : body;
    List<FieldError> errors = new ArrayList<>();
    ReplayRequests.checkOverrides(r, egress, errors);
    int timeout = ReplayRequests.timeout(r.timeoutSeconds(), limits, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    EntryView entry = entries.one(session.id(), entryId);
    var skip = ReplayPlan.skipReason(entry);
    if (skip.isPresent() && !(skip.get().contains("truncated") && r.body() != null)) {
      throw new ApiException(409, "not_replayable", "Entry " + entryId + " cannot be replayed: " + skip.get());
    }
    ReplaySender.Outgoing out = withOverrides(ReplayPlan.of(entry, null, new Substitution()), r);
    EntryReplayer.Settings settings =
        new EntryReplayer.Settings(null, timeout, Boolean.TRUE.equals(r.followRedirects()), new Noise(jobs.noiseOf(session.id())));
    EntryReplayer.Replayed done = replayer.send(entry, out, settings, new Substitution(), List.of(), List.of());
    BodyView recordedBody = entry.response().body();
    Answer recorded = new Answer(entry.response().statusCode(), entry.response().headers(),
        recordedBody == null ? null : recordedBody.text() != null ? recordedBody.text() : recordedBody.base64(),
        recordedBody != null && recordedBody.truncated() ? true : null, entry.durationMs(), entry.request().url());
    ReplaySender.Answer a = done.answer();
    Answer replayed = a == null || a.status() == 0 ? null : new Answer(a.status(),
        a.headers().stream().map(h -> new EntryView.HeaderView(h.name(), h.value())).toList(),
        new String(a.body(), StandardCharsets.UTF_8), a.truncated() ? true : null, a.durationMs(), a.url());
    return new EntryReplayResult(done.result(), recorded, replayed);
  }

  private static ReplaySender.Outgoing withOverrides(ReplaySender.Outgoing out, ReplayRequests.EntryReplay r) {
    List<Header> headers = new ArrayList<>(out.headers());
    if (r.headers() != null) {
      r.headers().forEach((name, value) -> {
        headers.removeIf(h -> h.name().equalsIgnoreCase(name));
        if (value != null) {
          headers.add(new Header(name, value));
        }
      });
    }
    return new ReplaySender.Outgoing(
        r.method() == null ? out.method() : r.method(),
        r.url() == null ? out.url() : URI.create(r.url().trim()),
        headers,
        r.body() == null ? out.body() : r.body().getBytes(StandardCharsets.UTF_8));
  }

  /** A session's noise set, and whether a user edited it ({@code false}: defaults plus what the recording taught). */
  public record NoiseView(String sessionId, boolean edited, List<String> headers, List<String> jsonPaths, List<String> valueShapes) {}

  @GET
  @Path("/{id}/noise")
  @Operation(summary = "The values replay reports as noise: headers, JSON paths and value shapes")
  public NoiseView noise(@PathParam("id") String id) {
    Session session = sessions.get(caller.get(), id);
    boolean edited = noiseStore.find(session.id()).isPresent();
    NoiseSet set = jobs.noiseOf(session.id());
    return new NoiseView(session.id(), edited, set.headers(), set.jsonPaths(), set.valueShapes());
  }

  static final int MAX_NOISE_ITEMS = 500;

  @PUT
  @Path("/{id}/noise")
  @Operation(summary = "Replace the session's noise set")
  public NoiseView setNoise(@PathParam("id") String id, NoiseSet body) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null) {
      errors.add(new FieldError("body", "give headers, jsonPaths and/or valueShapes"));
    } else {
      if (body.headers().size() > MAX_NOISE_ITEMS || body.headers().stream().anyMatch(h -> h == null || h.isBlank() || h.length() > 256)) {
        errors.add(new FieldError("headers", "at most " + MAX_NOISE_ITEMS + " header names of 1-256 characters"));
      }
      if (body.jsonPaths().size() > MAX_NOISE_ITEMS || !Noise.malformedPaths(body).isEmpty()) {
        errors.add(new FieldError("jsonPaths", "at most " + MAX_NOISE_ITEMS + " paths, each starting with $ and at most 300 characters"));
      }
      if (body.valueShapes().stream().anyMatch(s -> !NoiseSet.SHAPES.contains(String.valueOf(s).toLowerCase(Locale.ROOT)))) {
        errors.add(new FieldError("valueShapes", "each must be one of " + NoiseSet.SHAPES));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Session session = sessions.get(caller.get(), id);
    NoiseSet set = new NoiseSet(body.headers(), body.jsonPaths(),
        body.valueShapes().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    noiseStore.save(session.id(), set);
    return new NoiseView(session.id(), true, set.headers(), set.jsonPaths(), set.valueShapes());
  }
}
