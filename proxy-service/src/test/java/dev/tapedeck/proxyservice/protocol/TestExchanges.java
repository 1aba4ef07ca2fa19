package dev.tapedeck.proxyservice.protocol;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.Header;
import java.nio.charset.StandardCharsets;

/** Captured exchanges as ExchangeCapture builds them, for recognition tests. */
final class TestExchanges {
  private TestExchanges() {}

  /** A finished http exchange with {@code body} as the request body. */
  static CapturedExchange.Builder request(String method, String url, String contentType, String body, String... headers) {
    return request(method, url, contentType, "", bytes(body), false, headers);
  }

  /** A finished http exchange; {@code headers} are name, value pairs. */
  static CapturedExchange.Builder request(
      String method,
      String url,
      String contentType,
      String contentEncoding,
      byte[] body,
      boolean truncated,
      String... headers) {
    CapturedRequest.Builder request =
        CapturedRequest.newBuilder()
            .setMethod(method)
            .setUrl(url)
            .setHttpVersion("HTTP/1.1")
            .setBody(body(contentType, contentEncoding, body, truncated));
    if (!contentType.isEmpty()) {
      request.addHeaders(header("Content-Type", contentType));
    }
    if (!contentEncoding.isEmpty()) {
      request.addHeaders(header("Content-Encoding", contentEncoding));
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.addHeaders(header(headers[i], headers[i + 1]));
    }
    return CapturedExchange.newBuilder().setEntryType(EntryType.HTTP).setRequest(request);
  }

  /** Adds a response with {@code body}. */
  static CapturedExchange.Builder respond(
      CapturedExchange.Builder exchange, int status, String contentType, String body) {
    return exchange.setResponse(
        CapturedResponse.newBuilder()
            .setStatusCode(status)
            .addHeaders(header("Content-Type", contentType))
            .setBody(body(contentType, "", bytes(body), false)));
  }

  /**
   * Adds a {@code text/event-stream} response whose events carry {@code data}, as ExchangeCapture
   * records them (the entry becomes sse).
   */
  static CapturedExchange.Builder streamEvents(CapturedExchange.Builder exchange, String... data) {
    StringBuilder raw = new StringBuilder();
    for (String d : data) {
      raw.append("event: message\ndata: ").append(d).append("\n\n");
      exchange.addFrames(
          Frame.newBuilder()
              .setDirection(Direction.SERVER_TO_CLIENT)
              .setData(ByteString.copyFromUtf8(d))
              .setSize(d.length())
              .setSseEvent("message"));
    }
    respond(exchange, 200, "text/event-stream", raw.toString());
    return exchange.setEntryType(EntryType.SSE);
  }

  static CapturedExchange annotated(CapturedExchange.Builder exchange) {
    ProtocolAnnotations.annotate(exchange);
    return exchange.build();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Body body(String contentType, String contentEncoding, byte[] data, boolean truncated) {
    return Body.newBuilder()
        .setData(ByteString.copyFrom(data))
        .setSize(truncated ? data.length * 2L : data.length)
        .setTruncated(truncated)
        .setContentType(contentType)
        .setContentEncoding(contentEncoding)
        .build();
  }

  private static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }
}
