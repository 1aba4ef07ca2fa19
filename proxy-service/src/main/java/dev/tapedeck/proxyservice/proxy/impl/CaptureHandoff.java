package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.capture.RecordFit;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import java.util.concurrent.CompletionStage;

/**
 * Hands a session's finished captures to the sink as its {@code captureOverflow} says: with
 * {@code "drop"}, a capture made while the sink is congested is reduced to its stub (heads only,
 * saying why) instead of adding bodies to the backlog; with {@code "backpressure"} (the default)
 * it goes whole, the listener having held new requests back meanwhile.
 */
final class CaptureHandoff {
  static final String DROPPED = "bodies and frames dropped while capture publishing lagged (captureOverflow: drop)";

  private CaptureHandoff() {}

  static void publish(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    sink.accept(underLoad(sink, s, done));
  }

  /** As {@link #publish}; completes once the capture is durable. */
  static CompletionStage<Void> publishDurably(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    return sink.acceptDurably(underLoad(sink, s, done));
  }

  private static CapturedExchange underLoad(CaptureSink sink, SessionSettings s, CapturedExchange done) {
    return s.dropOnOverflow() && sink.congested() ? RecordFit.stub(done, DROPPED) : done;
  }
}
