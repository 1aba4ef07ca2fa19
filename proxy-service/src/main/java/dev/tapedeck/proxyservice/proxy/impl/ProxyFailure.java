package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The answers the proxy gives itself when it cannot forward, in one place, in the REST API's error
 * shape {@code {"error": code, "message": text}}: 400 for a request the session's mode cannot
 * serve, 401 or 407 when the session's {@code proxyAuth} credential is missing or wrong, 403 when
 * the egress policy refuses the target, 502 when the upstream cannot be reached or breaks off
 * before answering.
 */
enum ProxyFailure {
  BAD_REQUEST(400, "Bad Request", "bad_request"),
  UNAUTHORIZED(401, "Unauthorized", "unauthorized"),
  EGRESS_REFUSED(403, "Forbidden", "egress_refused"),
  PROXY_AUTH_REQUIRED(407, "Proxy Authentication Required", "proxy_auth_required"),
  BAD_GATEWAY(502, "Bad Gateway", "bad_gateway");

  final int status;
  final String reason;
  private final String code;

  ProxyFailure(int status, String reason, String code) {
    this.status = status;
    this.reason = reason;
    this.code = code;
  }

  /** The body of this failure: {@code {"error": code, "message": message}}. */
  String json(String message) {
    return new JsonObject().put("error", code).put("message", message).encode();
  }

  /** Ends {@code out} with this failure; returns the body sent. */
  Buffer send(HttpServerResponse out, String message) {
    Buffer body = Buffer.buffer(json(message));
    out.setStatusCode(status)
        .setStatusMessage(reason)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
    return body;
  }
}
