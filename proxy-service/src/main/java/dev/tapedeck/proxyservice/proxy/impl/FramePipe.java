package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proxyservice.policy.FrameToxics;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

/**
 * Relays one direction of a WebSocket frame by frame, as each frame is, with back-pressure, and
 * records each frame. With {@code websocket} toxics, each data frame waits its delay (and its
 * share of the direction's bandwidth) and frames keep their order; a frame that fails runs {@code
 * onFailedFrame} instead of being relayed. Control frames are not relayed: each side answers pings
 * and runs its own closing handshake.
 */
final class FramePipe {
  /** Delayed frames waiting in one direction before its source is paused. */
  private static final int MAX_WAITING = 256;

  private final Vertx vertx;
  private final WebSocketBase from;
  private final WebSocketBase to;
  private final Direction direction;
  private final ExchangeCapture capture;
  private final FrameToxics toxics;
  private final long closeAfterBytes;
  private final Runnable onFailedFrame;
  private long lastSendAtMs;
  private int waiting;
  private long relayedBytes;

  /** Relays from {@code from} to {@code to} from now on. */
  FramePipe(
      Vertx vertx,
      WebSocketBase from,
      WebSocketBase to,
      Direction direction,
      ExchangeCapture capture,
      FrameToxics toxics,
      long closeAfterBytes,
      Runnable onFailedFrame) {
    this.vertx = vertx;
    this.from = from;
    this.to = to;
    this.direction = direction;
    this.capture = capture;
    this.toxics = toxics;
    this.closeAfterBytes = direction == Direction.SERVER_TO_CLIENT ? closeAfterBytes : 0;
    this.onFailedFrame = onFailedFrame;
    from.frameHandler(this::frame);
  }

  private void frame(WebSocketFrame frame) {
    if (capture != null) {
      capture.frame(direction, opcode(frame), frame.binaryData());
    }
    if (frame.type() == WebSocketFrameType.CLOSE
        || frame.type() == WebSocketFrameType.PING
        || frame.type() == WebSocketFrameType.PONG) {
      return;
    }
    if (toxics.none()) {
      write(frame);
      return;
    }
    if (toxics.nextFails()) {
      onFailedFrame.run();
      return;
    }
    long now = System.nanoTime() / 1_000_000;
    long pace = toxics.paceMs(direction == Direction.SERVER_TO_CLIENT, frame.binaryData().length());
    // Each frame waits its own delay from its arrival, and never overtakes the one before.
    long sendAt = Math.max(now + toxics.nextDelayMs(), lastSendAtMs) + pace;
    lastSendAtMs = sendAt;
    if (sendAt <= now && waiting == 0) {
      write(frame);
      return;
    }
    if (++waiting >= MAX_WAITING) {
      from.pause();
    }
    vertx.setTimer(
        Math.max(1, sendAt - now),
        id -> {
          if (--waiting < MAX_WAITING / 2) {
            from.resume();
          }
          if (!to.isClosed()) {
            write(frame);
          }
        });
  }

  private void write(WebSocketFrame frame) {
    to.writeFrame(frame);
    if (closeAfterBytes > 0) {
      relayedBytes += frame.binaryData().length();
      if (relayedBytes >= closeAfterBytes) {
        to.close();
        from.close();
        return;
      }
    }
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  static int opcode(WebSocketFrame frame) {
    return switch (frame.type()) {
      case CONTINUATION -> 0;
      case TEXT -> 1;
      case BINARY -> 2;
      case CLOSE -> 8;
      case PING -> 9;
      case PONG -> 10;
    };
  }
}
