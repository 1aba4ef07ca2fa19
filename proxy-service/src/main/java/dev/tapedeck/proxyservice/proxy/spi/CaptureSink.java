package dev.tapedeck.proxyservice.proxy.spi;

import dev.tapedeck.proto.capture.v1.CapturedExchange;

/**
 * Where captured exchanges go. Called on the event loop once an exchange completes: an
 * implementation must never block (hand off to its own bounded executor) and must never lose an
 * exchange silently (count and log what it cannot keep).
 */
public interface CaptureSink {
  void accept(CapturedExchange exchange);
}
