package dev.tapedeck.proxyservice.session;

import dev.tapedeck.proto.control.v1.InterceptionCaRequest;
import dev.tapedeck.proto.control.v1.SessionWatch;
import dev.tapedeck.proxyservice.proxy.spi.InterceptionCaSource;
import dev.tapedeck.proxyservice.tls.InterceptionCa;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The interception CA, asked of the control plane over gRPC the first time a session intercepts
 * HTTPS, with the internal token ({@code tapedeck.internal.token}), and kept in memory only. A
 * failed request is not kept: the next interception asks again.
 */
final class ControlPlaneCa implements InterceptionCaSource {
  private static final Logger LOG = Logger.getLogger(ControlPlaneCa.class);

  private final SessionWatch control;
  private final Optional<String> token;
  private final String proxyId;
  private final AtomicReference<Future<InterceptionCa>> ca = new AtomicReference<>();

  ControlPlaneCa(SessionWatch control, Optional<String> token, String proxyId) {
    this.control = control;
    this.token = token.filter(t -> !t.isBlank());
    this.proxyId = proxyId;
  }

  @Override
  public Future<InterceptionCa> ca() {
    Future<InterceptionCa> current = ca.get();
    if (current != null && !current.failed()) {
      return current;
    }
    if (token.isEmpty()) {
      return InterceptionCaSource.NONE.ca();
    }
    Future<InterceptionCa> fetched =
        Future.fromCompletionStage(
                control
                    .getInterceptionCa(
                        InterceptionCaRequest.newBuilder()
                            .setProxyId(proxyId)
                            .setInternalToken(token.get())
                            .build())
                    .subscribeAsCompletionStage())
            .map(m -> InterceptionCa.fromPem(m.getCertificatePem(), m.getPrivateKeyPem()))
            .onSuccess(c -> LOG.infof("Interception CA received: %s", c.certificate().getSubjectX500Principal()))
            .onFailure(t -> LOG.warnf("The control plane gave no interception CA: %s", t.getMessage()));
    ca.set(fetched);
    return fetched;
  }
}
