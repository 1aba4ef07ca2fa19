package dev.tapedeck.control.entries;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.content.BodyText;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.Base64;
import java.util.List;

/**
 * A body as the API shows it, read with the shared {@code content} model exactly as the HAR and
 * every other export read it ({@code docs/exports.md#how-bodies-are-shown}): decoded from its
 * Content-Encoding (gzip, deflate, br, zstd), as {@code text} in its charset when it is text and
 * as {@code base64} otherwise; the bytes as captured in {@code rawBase64} when a coding was undone;
 * with its size on the wire and whether the capture was truncated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BodyView(
    String text,
    String base64,
    long size,
    boolean truncated,
    String contentType,
    String contentEncoding,
    String rawBase64) {

  /**
   * The view of a message's body, or null when it has none. Its type is the body's own
   * Content-Type, else the message's Content-Type header (as in the HAR).
   */
  static BodyView of(Body body, List<Header> headers) {
    if (body == null || (body.getSize() == 0 && body.getData().isEmpty())) {
      return null;
    }
    byte[] raw = body.getData().toByteArray();
    ContentType type = ContentType.of(body.getContentType(), contentTypeHeader(headers));
    ReadableBody read = ReadableBody.read(raw, type, body.getContentEncoding(), body.getTruncated());
    BodyText shown = read.text();
    return new BodyView(
        shown.base64() ? null : shown.text(),
        shown.base64() ? shown.text() : null,
        body.getSize(),
        body.getTruncated(),
        emptyToNull(type.declared()),
        emptyToNull(body.getContentEncoding()),
        read.decoded().wasEncoded() ? Base64.getEncoder().encodeToString(raw) : null);
  }

  private static String contentTypeHeader(List<Header> headers) {
    for (Header header : headers) {
      if (header.getName().equalsIgnoreCase("Content-Type")) {
        return header.getValue();
      }
    }
    return "";
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
