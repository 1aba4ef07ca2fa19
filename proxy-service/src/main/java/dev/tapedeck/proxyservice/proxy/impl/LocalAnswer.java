package dev.tapedeck.proxyservice.proxy.impl;

/**
 * An answer the proxy gives itself instead of the upstream's: an injected failure (reset, stall,
 * error status), and next a Map Local or playback mock. Set on the exchange by a step; sent, and
 * recorded, by the relay once the request steps have run.
 */
interface LocalAnswer {
  /** Answers the exchange and finishes its recording. */
  void send(ProxyExchange x);
}
