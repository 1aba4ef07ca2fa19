package dev.tapedeck.control.watch;

import dev.tapedeck.proto.control.v1.ListenerAck;
import dev.tapedeck.proto.control.v1.ListenerReport;
import dev.tapedeck.proto.control.v1.SessionUpdate;
import dev.tapedeck.proto.control.v1.SessionWatch;
import dev.tapedeck.proto.control.v1.WatchRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import org.jboss.logging.Logger;

/** The gRPC side of session following: proxy pods watch the running set and report listeners. */
@GrpcService
public class SessionWatchService implements SessionWatch {
  private static final Logger LOG = Logger.getLogger(SessionWatchService.class);

  private final SessionBroadcast broadcast;
  private final ListenerReports reports;

  public SessionWatchService(SessionBroadcast broadcast, ListenerReports reports) {
    this.broadcast = broadcast;
    this.reports = reports;
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
}
