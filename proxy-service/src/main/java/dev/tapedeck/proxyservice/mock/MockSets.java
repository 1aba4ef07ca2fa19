package dev.tapedeck.proxyservice.mock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.policy.contract.Playback;
import dev.tapedeck.policy.mock.CompiledMock;
import dev.tapedeck.policy.mock.InvalidMock;
import dev.tapedeck.policy.mock.MockSet;
import dev.tapedeck.proto.control.v1.InvocationBatch;
import dev.tapedeck.proto.control.v1.InvocationHeader;
import dev.tapedeck.proto.control.v1.MockDefinition;
import dev.tapedeck.proto.control.v1.MockInvocation;
import dev.tapedeck.proto.control.v1.MockSetRequest;
import dev.tapedeck.proto.control.v1.MockSetUpdate;
import dev.tapedeck.proto.control.v1.SessionWatch;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.MockCatalog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The mock sets this pod answers from, followed over the control plane's {@code WatchMocks}
 * stream: one per (user, namespace) that a running session in playback or with Map Local uses,
 * opened when the first such session arrives and closed with the last. Requests are matched in
 * memory against the set as it stands; no request calls another service.
 *
 * <p>What the mocks answered goes back to the control plane in batches ({@code
 * ReportInvocations}, every {@value #FLUSH_MS} ms), at most {@value #MAX_QUEUED} waiting; past that
 * they are dropped and counted ({@code tapedeck_proxy_mock_invocations_dropped_total}).
 */
@ApplicationScoped
public class MockSets implements MockCatalog {
  private static final Logger LOG = Logger.getLogger(MockSets.class);
  static final long FLUSH_MS = 100;
  static final int MAX_QUEUED = 10_000;
  private static final int BATCH = 1_000;
  /** How long a request waits for a set's first snapshot before it is served as empty. */
  private static final long FIRST_SNAPSHOT_MS = 5_000;
  private static final long RETRY_MS = 500;

  private final SessionWatch control;
  private final Vertx vertx;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Followed> sets = new HashMap<>();
  private final Map<String, String> sessionSets = new HashMap<>();
  private final ConcurrentLinkedQueue<MockInvocation> queued = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedCount = new AtomicInteger();
  private final Counter dropped;
  private volatile String proxyId = "proxy";
  private volatile boolean stopping;

  public MockSets(@GrpcClient("control") SessionWatch control, Vertx vertx, MeterRegistry registry) {
    this.control = control;
    this.vertx = vertx;
    this.dropped =
        Counter.builder("tapedeck_proxy_mock_invocations_dropped")
            .description("Mock invocations not reported to the control plane: the queue was full")
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    vertx.setPeriodic(FLUSH_MS, id -> flush());
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    flush();
    synchronized (sets) {
      sets.values().forEach(Followed::cancel);
      sets.clear();
    }
  }

  /** The id this pod reports with. */
  public void proxyId(String id) {
    this.proxyId = id;
  }

  /** The running sessions as the watch's snapshot has them; {@code keep}: ids left as they were. */
  public void sync(Collection<SessionSettings> sessions, Set<String> keep) {
    synchronized (sets) {
      Set<String> ids = new HashSet<>(keep);
      sessions.forEach(s -> ids.add(s.sessionId()));
      for (String gone : new ArrayList<>(sessionSets.keySet())) {
        if (!ids.contains(gone)) {
          closed(gone);
        }
      }
      sessions.forEach(this::session);
    }
  }

  /** A session started or changed: follows the set it now answers from (if any). */
  public void session(SessionSettings s) {
    Playback p = s.playback();
    String key = p.servesMocks() ? key(s.ownerId(), p.namespace()) : null;
    synchronized (sets) {
      String before = key == null ? sessionSets.remove(s.sessionId()) : sessionSets.put(s.sessionId(), key);
      if (key != null && !key.equals(before)) {
        follow(s.ownerId(), p.namespace()).sessions++;
      }
      if (before != null && !before.equals(key)) {
        release(before);
      }
    }
  }

  /** A session stopped. */
  public void closed(String sessionId) {
    synchronized (sets) {
      String key = sessionSets.remove(sessionId);
      if (key != null) {
        release(key);
      }
    }
  }

  @Override
  public Future<MockSet> mocks(String ownerId, String namespace) {
    Followed f;
    synchronized (sets) {
      f = follow(ownerId, namespace);
    }
    MockSet current = f.set;
    if (current != null) {
      return Future.succeededFuture(current);
    }
    Promise<MockSet> waited = Promise.promise();
    long timer = vertx.setTimer(FIRST_SNAPSHOT_MS, id -> waited.tryComplete(MockSet.EMPTY));
    f.first.future().onComplete(r -> {
      vertx.cancelTimer(timer);
      waited.tryComplete(r.succeeded() ? r.result() : MockSet.EMPTY);
    });
    return waited.future();
  }

  @Override
  public void invoked(Invocation i) {
    if (queuedCount.incrementAndGet() > MAX_QUEUED) {
      queuedCount.decrementAndGet();
      dropped.increment();
      return;
    }
    MockInvocation.Builder b =
        MockInvocation.newBuilder()
            .setMockId(i.mockId())
            .setOwnerId(i.ownerId())
            .setSessionId(i.sessionId())
            .setAtEpochMillis(i.atEpochMillis())
            .setMethod(i.method())
            .setUrl(i.url())
            .setBody(i.body());
    for (Map.Entry<String, String> h : i.headers()) {
      b.addHeaders(InvocationHeader.newBuilder().setName(h.getKey()).setValue(h.getValue()));
    }
    queued.add(b.build());
  }

  /** Sends what waits, in batches. */
  void flush() {
    while (!queued.isEmpty()) {
      InvocationBatch.Builder batch = InvocationBatch.newBuilder().setProxyId(proxyId);
      MockInvocation next;
      while (batch.getInvocationsCount() < BATCH && (next = queued.poll()) != null) {
        queuedCount.decrementAndGet();
        batch.addInvocations(next);
      }
      int count = batch.getInvocationsCount();
      control
          .reportInvocations(batch.build())
          .subscribe()
          .with(ack -> {}, failure -> {
            dropped.increment(count);
            LOG.debugf("%d mock invocations not reported: %s", count, failure.getMessage());
          });
    }
  }

  /** The followed set; opened when new. Callers hold the {@code sets} lock. */
  private Followed follow(String ownerId, String namespace) {
    return sets.computeIfAbsent(key(ownerId, namespace), k -> {
      Followed f = new Followed(ownerId, namespace);
      f.connect();
      return f;
    });
  }

  private void release(String key) {
    Followed f = sets.get(key);
    if (f != null && --f.sessions <= 0) {
      sets.remove(key);
      f.cancel();
    }
  }

  private static String key(String ownerId, String namespace) {
    return ownerId + "\u0000" + namespace;
  }

  /** One followed set. */
  private final class Followed {
    final String ownerId;
    final String namespace;
    final Promise<MockSet> first = Promise.promise();
    final Map<String, CompiledMock> byId = new LinkedHashMap<>();
    volatile MockSet set;
    int sessions;
    volatile boolean cancelled;
    volatile Cancellable stream;

    Followed(String ownerId, String namespace) {
      this.ownerId = ownerId;
      this.namespace = namespace;
    }

    void connect() {
      if (cancelled || stopping) {
        return;
      }
      stream =
          control
              .watchMocks(
                  MockSetRequest.newBuilder().setProxyId(proxyId).setOwnerId(ownerId).setNamespace(namespace).build())
              .subscribe()
              .with(this::apply, failure -> retry(failure.getMessage()), () -> retry("stream ended"));
    }

    private void retry(String why) {
      if (!cancelled && !stopping) {
        LOG.debugf("Mock set %s/%s: %s; following again", ownerId, namespace, why);
        vertx.setTimer(RETRY_MS, id -> connect());
      }
    }

    void cancel() {
      cancelled = true;
      Cancellable s = stream;
      if (s != null) {
        s.cancel();
      }
    }

    private synchronized void apply(MockSetUpdate update) {
      switch (update.getUpdateCase()) {
        case SNAPSHOT -> {
          byId.clear();
          update.getSnapshot().getMocksList().forEach(this::put);
        }
        case UPSERT -> put(update.getUpsert());
        case REMOVED_MOCK_ID -> byId.remove(update.getRemovedMockId());
        default -> {
          return;
        }
      }
      MockSet built = new MockSet(List.copyOf(byId.values()));
      set = built;
      first.tryComplete(built);
    }

    private void put(MockDefinition d) {
      try {
        byId.put(d.getId(), CompiledMock.compile(d.getId(), d.getPriority(), d.getEnabled(), json.readTree(d.getDefinitionJson())));
      } catch (InvalidMock | java.io.IOException e) {
        byId.remove(d.getId());
        LOG.warnf("Mock %s cannot be served: %s", d.getId(), e.getMessage());
      }
    }
  }
}
