package dev.tapedeck.control.mocks;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.auth.CurrentCaller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * mockd's verification: how often each mock answered, counted where the answer happens (the proxy
 * pods, which report in batches within a fraction of a second).
 */
@Path("/api/v1/mocks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mocks")
public class VerificationResource {
  private final MockStore store;
  private final MockInvocations invocations;
  private final CurrentCaller caller;

  public VerificationResource(MockStore store, MockInvocations invocations, CurrentCaller caller) {
    this.store = store;
    this.invocations = invocations;
    this.caller = caller;
  }

  /** A mock's call count and times. */
  public record Verification(String mockId, long callCount, String firstCalledAt, String lastCalledAt) {}

  /** {@code atLeast}, {@code atMost}, {@code exactly}: each optional. */
  public record Expectation(Long atLeast, Long atMost, Long exactly) {}

  /** Whether the expectation held. */
  public record Verdict(boolean success, String message, long callCount) {}

  /** The latest invocations (at most {@code tapedeck.mocks.invocations-kept}) and the full count. */
  public record Invocations(List<MockInvocations.Invocation> invocations, long count) {}

  /** What a reset did. */
  public record Reset(boolean reset) {}

  @GET
  @Path("/{mockId}/verify")
  @Operation(summary = "How often the mock answered: callCount, firstCalledAt, lastCalledAt")
  public Verification verify(@PathParam("mockId") String id) {
    Mock m = visible(id);
    MockInvocations.Summary s = invocations.summary(m.ownerId(), m.id());
    return new Verification(
        m.id(), s.count(), s.first() == null ? null : s.first().toString(), s.last() == null ? null : s.last().toString());
  }

  @POST
  @Path("/{mockId}/verify")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Check the call count against atLeast, atMost and exactly: success and a message")
  public Verdict check(@PathParam("mockId") String id, Expectation e) {
    if (e == null || (e.atLeast() == null && e.atMost() == null && e.exactly() == null)) {
      throw ApiException.validation(List.of(new FieldError("atLeast", "give atLeast, atMost or exactly")));
    }
    for (Long v : new Long[] {e.atLeast(), e.atMost(), e.exactly()}) {
      if (v != null && v < 0) {
        throw ApiException.validation(List.of(new FieldError("atLeast", "counts must not be negative")));
      }
    }
    Mock m = visible(id);
    long count = invocations.summary(m.ownerId(), m.id()).count();
    StringBuilder expected = new StringBuilder();
    boolean ok = true;
    if (e.exactly() != null) {
      ok = count == e.exactly();
      expected.append("exactly ").append(e.exactly());
    }
    if (e.atLeast() != null) {
      ok &= count >= e.atLeast();
      expected.append(expected.isEmpty() ? "" : " and ").append("at least ").append(e.atLeast());
    }
    if (e.atMost() != null) {
      ok &= count <= e.atMost();
      expected.append(expected.isEmpty() ? "" : " and ").append("at most ").append(e.atMost());
    }
    return new Verdict(ok, "Mock called " + count + " time" + (count == 1 ? "" : "s") + ", expected " + expected, count);
  }

  @GET
  @Path("/{mockId}/invocations")
  @Operation(summary = "The requests the mock answered (the latest ones) and their count")
  public Invocations list(@PathParam("mockId") String id) {
    Mock m = visible(id);
    return new Invocations(invocations.latest(m.ownerId(), m.id()), invocations.summary(m.ownerId(), m.id()).count());
  }

  @DELETE
  @Path("/{mockId}/invocations")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Forget the mock's invocations")
  public Reset reset(@PathParam("mockId") String id) {
    Mock m = visible(id);
    invocations.reset(m.ownerId(), m.id());
    return new Reset(true);
  }

  @DELETE
  @Path("/verify")
  @Consumes(MediaType.WILDCARD)
  @Operation(summary = "Forget the invocations of every mock of the caller (an admin: of everyone)")
  public Reset resetAll() {
    Caller who = caller.get();
    invocations.resetAll(who.admin() ? null : who.userId());
    return new Reset(true);
  }

  private Mock visible(String id) {
    return store
        .find(id)
        .filter(m -> caller.get().canSee(m.ownerId()))
        .orElseThrow(() -> ApiException.notFound("Mock " + id));
  }
}
