package dev.tapedeck.control.session;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import dev.tapedeck.control.auth.DataFolder;
import dev.tapedeck.control.policy.GlobalChaos;
import dev.tapedeck.control.ports.PortPool;
import dev.tapedeck.control.secrets.SecretBox;
import dev.tapedeck.control.watch.ListenerReports;
import dev.tapedeck.control.watch.SessionBroadcast;
import dev.tapedeck.devstack.MongoWireServer;
import dev.tapedeck.testkit.Ports;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The session services of control-service wired by hand over a real session store on the
 * Mongo-wire server, with the clock a test gives; no proxy pod is connected unless a test
 * subscribes to {@link #broadcast}.
 */
final class SessionsOnMongoWire implements AutoCloseable {
  final MongoWireServer mongoServer;
  final MongoClient mongo;
  final SessionStore store;
  final SessionBroadcast broadcast = new SessionBroadcast();
  final ListenerReports reports = new ListenerReports();
  final SessionService sessions;

  SessionsOnMongoWire(Path dir, Clock clock, Duration ttl) {
    mongoServer = MongoWireServer.start(dir, Ports.free());
    mongo = MongoClients.create(mongoServer.connectionString());
    store = new SessionStore(mongo, "tapedeck", new SecretBox(new DataFolder(Optional.of(dir.toString())), Optional.empty()));
    sessions =
        new SessionService(
            store,
            new SessionConfigValidator(1_000_000, 20000, 65000),
            new PortPool(20000, 65000),
            broadcast,
            reports,
            clock,
            // Pods that report nothing: start returns after a millisecond.
            new ListenerWait(broadcast, reports, Duration.ofMillis(1)),
            ttl,
            10,
            10);
    sessions.chaos = new GlobalChaos(mongo, "tapedeck");
  }

  SessionRetention retention(Clock clock, Duration retention) {
    return new SessionRetention(store, sessions, reports, clock, retention);
  }

  @Override
  public void close() {
    mongo.close();
    mongoServer.close();
  }
}
