package dev.tapedeck.proxyservice.protocol;

import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.Arrays;
import java.util.List;

/**
 * A captured message as recognition sees it: its media type ({@link ContentType}, the model the
 * API and the exports read bodies with) and its body with the content coding undone, both
 * computed only when asked for. Decoding stops at {@link #MAX_DECODED_BYTES}, so a small
 * compressed capture cannot expand into much work.
 */
final class Content {
  /** The most decoded bytes of a body that recognition reads. */
  static final int MAX_DECODED_BYTES = 1024 * 1024;

  private final Body body;
  private final List<Header> headers;
  private ContentType contentType;
  private DecodedContent decoded;
  private boolean jsonRead;
  private JsonMessage json;

  Content(Body body, List<Header> headers) {
    this.body = body;
    this.headers = headers;
  }

  /** The first value of header {@code name} (any case), or null. */
  String header(String name) {
    for (Header h : headers) {
      if (h.getName().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  /**
   * The message's type, parsed once with the shared {@code content} model: the body's own
   * Content-Type, else the Content-Type header.
   */
  ContentType contentType() {
    if (contentType == null) {
      contentType = ContentType.of(body.getContentType(), header("Content-Type"));
    }
    return contentType;
  }

  /** Whether the type is JSON ({@code application/json}, {@code +json}) or absent. */
  boolean jsonOrUntyped() {
    return !contentType().isDeclared() || contentType().isJson();
  }

  /** Whether anything of the body was captured. */
  boolean hasBody() {
    return !body.getData().isEmpty();
  }

  /** The decoded bytes, or null when the content coding could not be undone. */
  byte[] bytes() {
    DecodedContent content = decode();
    return content.decoded() ? content.bytes() : null;
  }

  /**
   * The body's first JSON message, read once for every recognizer (with the fields any of them
   * looks at), or null when the body is not JSON or cannot be decoded.
   */
  JsonMessage json() {
    if (!jsonRead) {
      jsonRead = true;
      byte[] bytes = bytes();
      json = bytes == null ? null : JsonMessage.read(bytes, JsonMessage.RECOGNITION_FIELDS);
    }
    return json;
  }

  /** Whether {@link #bytes()} are only the start of the body. */
  boolean truncated() {
    return !decode().complete();
  }

  private DecodedContent decode() {
    if (decoded == null) {
      byte[] data = body.getData().toByteArray();
      decoded =
          ContentCodings.decode(data, body.getContentEncoding(), body.getTruncated(), MAX_DECODED_BYTES);
      if (decoded.decoded() && decoded.bytes().length > MAX_DECODED_BYTES) {
        // An identity body larger than the limit (a session allowed a bigger capture).
        byte[] start = Arrays.copyOf(decoded.bytes(), MAX_DECODED_BYTES);
        decoded = new DecodedContent(start, decoded.encoding(), true, false);
      }
    }
    return decoded;
  }

  static String unquote(String value) {
    String v = value.trim();
    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
  }
}
