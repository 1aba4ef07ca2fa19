package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.policy.ChaosSettings;
import dev.tapedeck.policy.ConnectionToxics;
import dev.tapedeck.policy.Durations;
import dev.tapedeck.policy.ProtocolToxics;
import dev.tapedeck.policy.Toxics;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one chaos implementation: a session's toxics (with its network profile folded in) and the
 * global chaos settings both become a {@link ToxicPlan} per request here.
 *
 * <p>Random choices come from a generator seeded with the session's {@code seed} and the
 * request's sequence number on this listener, so the same seed and the same sequence of requests
 * give the same delays and the same failed requests. Without a seed, a random one is drawn per
 * settings update.
 */
public final class ToxicEngine {
  private final Toxics toxics;
  private final ChaosSettings chaos;
  private final long seed;
  private final long chaosMinMs;
  private final long chaosMaxMs;
  private final AtomicLong sequence = new AtomicLong();

  ToxicEngine(Toxics toxics, ChaosSettings chaos) {
    this.toxics = toxics;
    this.chaos = chaos;
    this.seed = toxics.seed() != null ? toxics.seed() : new SplittableRandom().nextLong();
    boolean latency = chaos.on() && chaos.latency() != null;
    this.chaosMinMs = latency ? Durations.millis(chaos.latency().min()) : 0;
    this.chaosMaxMs = latency ? Durations.millis(chaos.latency().max()) : 0;
  }

  /** Whether no toxic and no chaos can touch any exchange. */
  public boolean inert() {
    return !chaos.on()
        && inert(toxics.http())
        && inert(toxics.websocket())
        && inert(toxics.sse())
        && inert(toxics.grpc())
        && (toxics.connection() == null
            || (toxics.connection().reset() == 0
                && toxics.connection().closeAfter() == 0
                && toxics.connection().stall() == 0));
  }

  private static boolean inert(ProtocolToxics t) {
    return t == null
        || (t.delay() == 0 && t.jitter() == 0 && t.errors() == 0 && t.bandwidth() == 0 && t.slowRead() == 0);
  }

  /**
   * The protocol name of an exchange that only connection toxics and global chaos apply to as a
   * whole: a WebSocket's handshake (its own toxics apply per frame, see {@link #frames}) and a
   * CONNECT tunnel.
   */
  public static final String CONNECTION = "connection";

  /**
   * The protocol name of a CONNECT tunnel relayed without decrypting: the connection toxics and
   * chaos, and the {@code http} toxics' {@code bandwidthKBps} (bytes from the server) and {@code
   * slowReadKBps} (bytes from the client), since what a forward proxy tunnels is mostly HTTPS; the
   * requests inside cannot be seen, so their delay and errors do not apply.
   */
  public static final String TUNNEL = "tunnel";

  /**
   * The plan for the next exchange of {@code protocol} (http, sse, grpc, {@link #CONNECTION} for
   * connection toxics and chaos only, or {@link #TUNNEL}).
   */
  public ToxicPlan plan(String protocol) {
    if (inert()) {
      return ToxicPlan.NONE;
    }
    SplittableRandom random = nextRandom();
    List<String> names = new ArrayList<>();
    long delay = 0;
    int errorStatus = 0;
    int bandwidth = 0;
    int slowRead = 0;
    boolean tunnel = TUNNEL.equals(protocol);
    ProtocolToxics t =
        CONNECTION.equals(protocol) ? null : tunnel ? toxics.forProtocol("http") : toxics.forProtocol(protocol);
    if (t != null) {
      if (!tunnel && (t.delay() > 0 || t.jitter() > 0)) {
        long jitter = t.jitter() == 0 ? 0 : random.nextLong(-t.jitter(), t.jitter() + 1L);
        delay = Math.max(0, t.delay() + jitter);
        names.add("delay");
      }
      if (!tunnel && t.errors() > 0 && random.nextDouble() < t.errors()) {
        errorStatus = t.status();
        names.add("error");
      }
      if (t.bandwidth() > 0) {
        bandwidth = t.bandwidth();
        names.add("bandwidth");
      }
      if (t.slowRead() > 0) {
        slowRead = t.slowRead();
        names.add("slowRead");
      }
    }
    boolean reset = false;
    long closeAfter = 0;
    long stall = 0;
    ConnectionToxics c = toxics.connection();
    if (c != null) {
      if (c.reset() > 0 && random.nextDouble() < c.reset()) {
        reset = true;
        names.add("reset");
      }
      if (c.stall() > 0 && random.nextDouble() < c.stallProbability()) {
        stall = c.stall();
        names.add("stall");
      }
      if (c.closeAfter() > 0) {
        closeAfter = c.closeAfter();
        names.add("closeAfterBytes");
      }
    }
    if (chaos.on()) {
      if (chaos.latency() != null && random.nextDouble() < chaos.latency().chance()) {
        delay += chaosMinMs + (chaosMaxMs > chaosMinMs ? random.nextLong(chaosMaxMs - chaosMinMs + 1) : 0);
        names.add("chaos.latency");
      }
      if (chaos.errorRate() != null && errorStatus == 0 && random.nextDouble() < chaos.errorRate().chance()) {
        List<Integer> statuses = chaos.errorRate().statuses();
        errorStatus = statuses.get(random.nextInt(statuses.size()));
        names.add("chaos.error");
      }
    }
    return new ToxicPlan(delay, errorStatus, bandwidth, slowRead, reset, closeAfter, stall, List.copyOf(names));
  }

  /**
   * The per-frame toxics of the next WebSocket: {@code websocket} delay and jitter, errors and
   * bandwidth, drawn frame by frame from the session's seed; {@link FrameToxics#NONE} when none
   * is set.
   */
  public FrameToxics frames() {
    ProtocolToxics t = toxics.websocket();
    if (inert(t)) {
      return FrameToxics.NONE;
    }
    return new FrameToxics(t, nextRandom());
  }

  private SplittableRandom nextRandom() {
    return new SplittableRandom(seed + sequence.getAndIncrement() * 0x9E3779B97F4A7C15L);
  }
}
