package dev.tapedeck.control.watch;

import dev.tapedeck.control.ca.CertificateAuthority;
import dev.tapedeck.control.mocks.MockFeed;
import dev.tapedeck.proto.control.v1.InvocationBatch;
import dev.tapedeck.proto.control.v1.MockSetRequest;
import dev.tapedeck.proto.control.v1.MockSetUpdate;
import dev.tapedeck.internalauth.InternalToken;
import dev.tapedeck.proto.control.v1.InterceptionCa;
import dev.tapedeck.proto.control.v1.InterceptionCaRequest;
import dev.tapedeck.proto.control.v1.ListenerAck;
import dev.tapedeck.proto.control.v1.ListenerReport;
import dev.tapedeck.proto.control.v1.SessionUpdate;
import dev.tapedeck.proto.control.v1.SessionWatch;
import dev.tapedeck.proto.control.v1.WatchRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import org.jboss.logging.Logger;

/**
 * The gRPC side of session following: proxy pods watch the running set and report listeners.
 * Served on the internal gRPC port; every call has passed the internal token check
 * ({@code InternalTokenServerInterceptor}) before it gets here.
 */
@GrpcService
public class SessionWatchService implements SessionWatch {
  private static final Logger LOG = Logger.getLogger(SessionWatchService.class);

  private final SessionBroadcast broadcast;
  private final ListenerReports reports;
  private final CertificateAuthority ca;
  private final InternalToken token;
  private final MockFeed mocks;

  public SessionWatchService(
      SessionBroadcast broadcast,
      ListenerReports reports,
      CertificateAuthority ca,
      InternalToken token,
      MockFeed mocks) {
    this.broadcast = broadcast;
    this.reports = reports;
    this.ca = ca;
    this.token = token;
    this.mocks = mocks;
  }

  @Override
  public Multi<MockSetUpdate> watchMocks(MockSetRequest request) {
    return mocks.watch(request);
  }

  @Override
  public Uni<ListenerAck> reportInvocations(InvocationBatch request) {
    mocks.report(request);
    return Uni.createFrom().item(ListenerAck.getDefaultInstance());
  }

  @Override
  public Multi<SessionUpdate> watch(WatchRequest request) {
    LOG.infof("Proxy %s is watching sessions", request.getProxyId());
    return Multi.createFrom()
        .emitter(
            emitter -> broadcast.subscribe(request.getProxyId(), emitter),
            BackPressureStrategy.BUFFER);
  }

  @Override
  public Uni<ListenerAck> reportListener(ListenerReport request) {
    if (!request.getListening() && !request.getError().isEmpty()) {
      LOG.warnf(
          "Proxy %s could not listen on port %d for session %s: %s",
          request.getProxyId(), request.getPort(), request.getSessionId(), request.getError());
    }
    reports.record(request);
    return Uni.createFrom().item(ListenerAck.getDefaultInstance());
  }

  @Override
  @Blocking
  public Uni<InterceptionCa> getInterceptionCa(InterceptionCaRequest request) {
    if (!token.matches(request.getInternalToken())) {
      LOG.warnf(
          "Refused the interception CA to %s: %s",
          request.getProxyId(), token.configured() ? "wrong internal token" : "tapedeck.internal.token is not set");
      return Uni.createFrom()
          .failure(
              Status.PERMISSION_DENIED
                  .withDescription("the internal token does not match tapedeck.internal.token")
                  .asRuntimeException());
    }
    CertificateAuthority.Material m = ca.material();
    LOG.infof("Gave the interception CA to proxy %s", request.getProxyId());
    return Uni.createFrom()
        .item(
            InterceptionCa.newBuilder()
                .setCertificatePem(m.certificatePem())
                .setPrivateKeyPem(m.privateKeyPem())
                .build());
  }
}
