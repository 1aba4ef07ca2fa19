package dev.tapedeck.proxyservice.proxy.impl;

/** A request the listener cannot serve in its session's mode; answered 400. */
final class BadProxyRequest extends Exception {
  private static final int MAX_ECHO = 200;

  BadProxyRequest(String message) {
    super(message, null, false, false);
  }

  /** {@code text} cut to a length fit for an error message. */
  static String echo(String text) {
    return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
  }
}
