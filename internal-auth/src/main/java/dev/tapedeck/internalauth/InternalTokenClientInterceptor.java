package dev.tapedeck.internalauth;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sends the internal token on every call of every gRPC client of the service (proxy to control,
 * control to storage and converter, converter to storage). Sends nothing when no token is set
 * (only possible with {@code tapedeck.internal.auth.enabled=false}).
 */
@GlobalInterceptor
@ApplicationScoped
public class InternalTokenClientInterceptor implements ClientInterceptor {
  private final InternalTokenCredentials credentials;

  public InternalTokenClientInterceptor(InternalToken token) {
    this.credentials = token.value().map(InternalTokenCredentials::new).orElse(null);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions callOptions, Channel next) {
    return next.newCall(method, credentials == null ? callOptions : callOptions.withCallCredentials(credentials));
  }
}
