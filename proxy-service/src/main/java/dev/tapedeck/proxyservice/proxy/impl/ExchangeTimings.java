package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.Timings;

/**
 * The moments of one exchange that make up its HAR-style timings. dns is the lookup of the
 * upstream name (through the resolver's cache), connect the time from then until the connection
 * was open, TLS handshake included (HAR allows tls inside connect; Vert.x does not tell when the
 * handshake began, so tls stays -1). On a reused connection dns and connect are -1 (HAR: the phase
 * did not happen). Used from the exchange's event loop only.
 */
final class ExchangeTimings {
  private final long startNanos = System.nanoTime();
  private long resolvingNanos = -1;
  private long resolvedNanos = -1;
  private long connectedNanos = -1;
  private boolean freshConnection;
  private long requestSentNanos = -1;
  private long responseHeadNanos = -1;

  void resolving() {
    resolvingNanos = System.nanoTime();
  }

  void resolved() {
    resolvedNanos = System.nanoTime();
  }

  /** A connection was obtained: {@code fresh} when opened for this request, false when reused. */
  void connected(boolean fresh) {
    connectedNanos = System.nanoTime();
    freshConnection = fresh;
  }

  void requestSent() {
    requestSentNanos = System.nanoTime();
  }

  void responseHead() {
    responseHeadNanos = System.nanoTime();
  }

  /** The timings of the exchange as of {@code end} (a {@link System#nanoTime} reading). */
  Timings at(long end) {
    double dns = -1;
    double connect = -1;
    if (freshConnection) {
      boolean resolved = resolvingNanos >= 0 && resolvedNanos >= 0;
      dns = resolved ? ms(resolvedNanos - resolvingNanos) : -1;
      connect = ms(connectedNanos - (resolved ? resolvedNanos : startNanos));
    }
    double send = requestSentNanos < 0 || connectedNanos < 0 ? 0 : ms(requestSentNanos - connectedNanos);
    double wait =
        responseHeadNanos < 0 || requestSentNanos < 0 ? 0 : ms(responseHeadNanos - requestSentNanos);
    double receive = responseHeadNanos < 0 ? 0 : ms(end - responseHeadNanos);
    return Timings.newBuilder()
        .setDnsMs(dns)
        .setConnectMs(connect)
        .setTlsMs(-1)
        .setSendMs(Math.max(0, send))
        .setWaitMs(Math.max(0, wait))
        .setReceiveMs(receive)
        .setTotalMs(ms(end - startNanos))
        .build();
  }

  /** Nanoseconds as milliseconds with microsecond precision. */
  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
