package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.content.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * Runs body replacements on a whole body as it travels: the content coding (gzip, deflate, br,
 * zstd, stacked) is undone, the text replaced, and the same coding applied again, so the client
 * or upstream gets a body its Content-Encoding still describes. Text is read as UTF-8.
 */
public final class BodyRewrite {
  /** The largest body buffered for a rewrite; a larger one passes through unchanged. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  private BodyRewrite() {}

  /** Whether a body with these headers can be rewritten at all. */
  public static boolean applies(String contentType, String contentEncoding, String contentLength) {
    if (!MediaTypes.isText(contentType)) {
      return false;
    }
    if (contentEncoding != null && !contentEncoding.isBlank() && !ContentCodings.supports(contentEncoding)) {
      return false;
    }
    try {
      return contentLength == null || Long.parseLong(contentLength.trim()) <= MAX_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The rewritten body in its original coding, or null when nothing changed. */
  public static byte[] rewrite(byte[] raw, String contentEncoding, UnaryOperator<String> replace) {
    DecodedContent decoded = ContentCodings.decode(raw, contentEncoding, false, MAX_BYTES * 8);
    if (!decoded.decoded() || !decoded.complete()) {
      return null;
    }
    String text = new String(decoded.bytes(), StandardCharsets.UTF_8);
    String replaced = replace.apply(text);
    if (replaced.equals(text)) {
      return null;
    }
    byte[] plain = replaced.getBytes(StandardCharsets.UTF_8);
    return decoded.wasEncoded() ? ContentCodings.encode(plain, contentEncoding) : plain;
  }
}
