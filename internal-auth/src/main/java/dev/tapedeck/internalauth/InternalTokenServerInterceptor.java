package dev.tapedeck.internalauth;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Refuses every gRPC call that does not carry {@code authorization: Bearer <internal token>} with
 * {@code UNAUTHENTICATED}, before the method sees a message. Applies to every service the server
 * hosts (a global interceptor, run before any other). Passes everything when {@code
 * tapedeck.internal.auth.enabled=false}.
 *
 * <p>Refusals are logged at most once every {@value #LOG_EVERY_MS} ms, with how many there were,
 * so a scan cannot flood the log.
 */
@GlobalInterceptor
@Priority(InternalTokenServerInterceptor.PRIORITY)
@ApplicationScoped
public class InternalTokenServerInterceptor implements ServerInterceptor {
  /** Higher runs first: authentication comes before any other interceptor. */
  static final int PRIORITY = 100_000;

  static final long LOG_EVERY_MS = 10_000;

  private static final Logger LOG = Logger.getLogger(InternalTokenServerInterceptor.class);

  private final InternalToken token;
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

  public InternalTokenServerInterceptor(InternalToken token) {
    this.token = token;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (!token.required()) {
      return next.startCall(call, headers);
    }
    String authorization = headers.get(InternalTokenCredentials.AUTHORIZATION);
    if (token.acceptsAuthorization(authorization)) {
      return next.startCall(call, headers);
    }
    String why =
        authorization == null
            ? "internal gRPC needs the internal token (authorization: Bearer <tapedeck.internal.token>)"
            : "the internal token does not match";
    logRefusal(call, why);
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** How many calls were refused since start. */
  public long refusedCount() {
    return refused.get();
  }

  /** Whether a refusal at {@code nowMs} is logged: the first, then one per {@value #LOG_EVERY_MS} ms. */
  boolean logDue(long nowMs) {
    long last = lastLogged.get();
    return (last == Long.MIN_VALUE || nowMs - last >= LOG_EVERY_MS) && lastLogged.compareAndSet(last, nowMs);
  }

  private void logRefusal(ServerCall<?, ?> call, String why) {
    long count = refused.incrementAndGet();
    if (logDue(System.currentTimeMillis())) {
      LOG.warnf(
          "Refused gRPC %s from %s: %s (%d refused since start)",
          call.getMethodDescriptor().getFullMethodName(),
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          why,
          count);
    }
  }
}
