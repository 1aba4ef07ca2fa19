package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.List;
import java.util.Locale;

/**
 * The text an entry is searched by, stored beside it in lower case: header lines of both
 * messages, and the decoded textual bodies in their charset (each up to {@link #BODY_CHARS}), by
 * the same content model the API and the exports show bodies with. Binary bodies are
 * left out; the URL is searched in its own field.
 */
public final class SearchText {
  /** The most characters of each body that search sees. */
  public static final int BODY_CHARS = 64 * 1024;

  private SearchText() {}

  /** The lower-case search text of {@code exchange}. */
  public static String of(CapturedExchange exchange) {
    StringBuilder text = new StringBuilder(1024);
    headers(text, exchange.getRequest().getHeadersList());
    headers(text, exchange.getResponse().getHeadersList());
    body(text, exchange.getRequest().getBody());
    body(text, exchange.getResponse().getBody());
    return text.toString().toLowerCase(Locale.ROOT);
  }

  private static void headers(StringBuilder text, List<Header> headers) {
    for (Header h : headers) {
      text.append(h.getName()).append(": ").append(h.getValue()).append('\n');
    }
  }

  private static void body(StringBuilder text, Body body) {
    if (body.getData().isEmpty()) {
      return;
    }
    ContentType type = ContentType.parse(body.getContentType());
    if (type.kind() != ContentType.Kind.TEXT) {
      return;
    }
    String decoded;
    if (notEncoded(body.getContentEncoding())) {
      // Not encoded: read the first bytes in place (a character takes at most 4), without a copy
      // of the whole body.
      ByteString data = body.getData();
      decoded = data.substring(0, Math.min(data.size(), BODY_CHARS * 4)).toString(type.charset());
    } else {
      byte[] bytes =
          ContentCodings.decode(
                  body.getData().toByteArray(),
                  body.getContentEncoding(),
                  body.getTruncated(),
                  BODY_CHARS * 4)
              .bytes();
      decoded = new String(bytes, type.charset());
    }
    text.append(decoded, 0, Math.min(decoded.length(), BODY_CHARS)).append('\n');
  }

  /** Whether a Content-Encoding value names no coding (empty, or only {@code identity}). */
  private static boolean notEncoded(String contentEncoding) {
    for (String part : contentEncoding.split(",")) {
      String coding = part.trim();
      if (!coding.isEmpty() && !coding.equalsIgnoreCase("identity")) {
        return false;
      }
    }
    return true;
  }
}
