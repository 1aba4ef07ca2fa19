package dev.tapedeck.control.entries;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tapedeck.proto.capture.v1.Body;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A body as the API shows it: decoded from its Content-Encoding where we can (gzip, deflate),
 * as text when the content type is textual and as base64 otherwise; with its size on the wire
 * and whether the capture was truncated.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BodyView(
    String text,
    String base64,
    long size,
    boolean truncated,
    String contentType,
    String contentEncoding) {

  static BodyView of(Body body) {
    if (body == null || (body.getSize() == 0 && body.getData().isEmpty())) {
      return null;
    }
    byte[] bytes = decode(body.getData().toByteArray(), body.getContentEncoding(), body.getTruncated());
    boolean textual = isText(body.getContentType());
    return new BodyView(
        textual ? new String(bytes, StandardCharsets.UTF_8) : null,
        textual ? null : Base64.getEncoder().encodeToString(bytes),
        body.getSize(),
        body.getTruncated(),
        emptyToNull(body.getContentType()),
        emptyToNull(body.getContentEncoding()));
  }

  static boolean isText(String contentType) {
    if (contentType == null || contentType.isEmpty()) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.contains("json")
        || type.contains("xml")
        || type.contains("javascript")
        || type.contains("x-www-form-urlencoded")
        || type.contains("graphql");
  }

  /** The decoded bytes; the raw ones when the encoding is unknown or a truncated stream ends early. */
  private static byte[] decode(byte[] raw, String encoding, boolean truncated) {
    String e = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
    if (!e.equals("gzip") && !e.equals("deflate")) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
    try (InputStream in =
        e.equals("gzip")
            ? new GZIPInputStream(new java.io.ByteArrayInputStream(raw))
            : new InflaterInputStream(new java.io.ByteArrayInputStream(raw))) {
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException ex) {
      return truncated && out.size() > 0 ? out.toByteArray() : raw;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
