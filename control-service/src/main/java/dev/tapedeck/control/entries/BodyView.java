package dev.tapedeck.control.entries;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.content.MediaTypes;
import dev.tapedeck.proto.capture.v1.Body;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A body as the API shows it: decoded from its Content-Encoding (gzip, deflate, br, zstd), as
 * text when the content type is textual and as base64 otherwise; the bytes as captured in
 * {@code rawBase64} when a coding was undone; with its size on the wire and whether the capture
 * was truncated.
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

  static BodyView of(Body body) {
    if (body == null || (body.getSize() == 0 && body.getData().isEmpty())) {
      return null;
    }
    byte[] raw = body.getData().toByteArray();
    DecodedContent decoded = ContentCodings.decode(raw, body.getContentEncoding(), body.getTruncated());
    byte[] bytes = decoded.bytes();
    boolean textual = MediaTypes.isText(body.getContentType());
    return new BodyView(
        textual ? new String(bytes, StandardCharsets.UTF_8) : null,
        textual ? null : Base64.getEncoder().encodeToString(bytes),
        body.getSize(),
        body.getTruncated(),
        emptyToNull(body.getContentType()),
        emptyToNull(body.getContentEncoding()),
        decoded.wasEncoded() ? Base64.getEncoder().encodeToString(raw) : null);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
