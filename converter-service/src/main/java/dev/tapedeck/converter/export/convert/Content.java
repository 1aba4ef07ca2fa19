package dev.tapedeck.converter.export.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.converter.export.har.BodyDecoder;
import dev.tapedeck.converter.export.har.BodyText;
import dev.tapedeck.converter.export.har.DecodedBody;
import dev.tapedeck.converter.export.har.MimeTypes;
import dev.tapedeck.proto.capture.v1.Body;
import java.io.IOException;
import java.util.Optional;

/**
 * A body as the converters use it: decoded from its Content-Encoding, as text when it is text and
 * base64 otherwise, and parsed when it is JSON.
 *
 * @param text the text, or the base64 of the bytes; empty for no body
 * @param base64 whether {@code text} is base64
 * @param mimeType the declared media type without parameters, empty if none
 * @param json the parsed body when it is complete JSON
 */
public record Content(String text, boolean base64, String mimeType, Optional<JsonNode> json) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** No body. */
  public static final Content EMPTY = new Content("", false, "", Optional.empty());

  /** The body of a captured message. */
  public static Content of(Body body) {
    if (body.getData().isEmpty()) {
      return new Content("", false, MimeTypes.essence(body.getContentType()), Optional.empty());
    }
    DecodedBody decoded = BodyDecoder.decode(body);
    BodyText text =
        decoded.decoded()
            ? BodyText.of(decoded.bytes(), body.getContentType(), !decoded.complete())
            : BodyText.base64(decoded.bytes());
    String mimeType = MimeTypes.essence(body.getContentType());
    Optional<JsonNode> json = Optional.empty();
    if (!text.base64() && decoded.complete() && looksLikeJson(mimeType, text.text())) {
      try {
        json = Optional.ofNullable(JSON.readTree(text.text()));
      } catch (IOException e) {
        json = Optional.empty();
      }
    }
    return new Content(text.text(), text.base64(), mimeType, json);
  }

  /** Whether there is no body. */
  public boolean isEmpty() {
    return text.isEmpty();
  }

  private static boolean looksLikeJson(String mimeType, String text) {
    if (mimeType.endsWith("json")) {
      return true;
    }
    String start = text.stripLeading();
    return mimeType.isEmpty() && (start.startsWith("{") || start.startsWith("["));
  }
}
