package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.policy.ProtocolToxics;
import java.util.SplittableRandom;

/**
 * The {@code websocket} toxics of one WebSocket, applied frame by frame: each data frame waits
 * {@code delayMs} (± {@code delayJitter}) before it is relayed, in order; {@code errorRate} is the
 * chance that a frame fails, which closes the WebSocket both ways with status 1011; {@code
 * bandwidthKBps} paces frames from the server, {@code slowReadKBps} frames from the client. Used
 * from the WebSocket's event loop only.
 */
public final class FrameToxics {
  /** No frame toxics. */
  public static final FrameToxics NONE = new FrameToxics(null, null);

  /** The close status a failed frame closes the WebSocket with (RFC 6455: internal error). */
  public static final short FAILED_FRAME_STATUS = 1011;

  private final ProtocolToxics toxics;
  private final SplittableRandom random;

  FrameToxics(ProtocolToxics toxics, SplittableRandom random) {
    this.toxics = toxics;
    this.random = random;
  }

  public boolean none() {
    return toxics == null;
  }

  /** The delay of the next frame, ms. */
  public long nextDelayMs() {
    if (toxics == null || (toxics.delay() == 0 && toxics.jitter() == 0)) {
      return 0;
    }
    long jitter = toxics.jitter() == 0 ? 0 : random.nextLong(-toxics.jitter(), toxics.jitter() + 1L);
    return Math.max(0, toxics.delay() + jitter);
  }

  /** Whether the next frame fails. */
  public boolean nextFails() {
    return toxics != null && toxics.errors() > 0 && random.nextDouble() < toxics.errors();
  }

  /** How long sending {@code bytes} takes at the pace of that direction, ms (0: unpaced). */
  public long paceMs(boolean fromServer, int bytes) {
    if (toxics == null) {
      return 0;
    }
    int kbps = fromServer ? toxics.bandwidth() : toxics.slowRead();
    return kbps == 0 ? 0 : bytes * 1000L / (kbps * 1024L);
  }

  /** The toxic names an entry lists for these frame toxics. */
  public java.util.List<String> names() {
    if (toxics == null) {
      return java.util.List.of();
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    if (toxics.delay() > 0 || toxics.jitter() > 0) {
      names.add("delay");
    }
    if (toxics.errors() > 0) {
      names.add("error");
    }
    if (toxics.bandwidth() > 0) {
      names.add("bandwidth");
    }
    if (toxics.slowRead() > 0) {
      names.add("slowRead");
    }
    return names;
  }
}
