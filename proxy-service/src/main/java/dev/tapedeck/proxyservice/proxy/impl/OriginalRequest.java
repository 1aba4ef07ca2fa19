package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;

/**
 * The request as the client sent it, kept when modification rules changed what went upstream (the
 * entry's {@code originalRequest}): its head, and its body when a body replacement changed it.
 */
final class OriginalRequest {
  private final CapturedRequest.Builder head;
  private final MultiMap headers;
  private Buffer body;

  OriginalRequest(String method, String url, HttpVersion version, MultiMap headers) {
    this.headers = headers;
    this.head =
        CapturedRequest.newBuilder()
            .setMethod(method)
            .setUrl(url)
            .setHttpVersion(ExchangeCapture.versionName(version))
            .addAllHeaders(ExchangeCapture.headers(headers));
  }

  /** The body as the client sent it, when a body replacement changed it. */
  void body(Buffer original) {
    body = original;
  }

  /**
   * The original request: its own body when one was kept (bounded at {@code bodyLimit}), else the
   * body {@code sent} upstream, which was not changed.
   */
  CapturedRequest build(CapturedRequest sent, long bodyLimit) {
    if (body == null) {
      return head.setBody(sent.getBody()).build();
    }
    BodyCapture capture = new BodyCapture(bodyLimit);
    capture.append(body);
    return head.setBody(capture.toBody(headers.get("Content-Type"), headers.get("Content-Encoding"))).build();
  }
}
