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
 * base64 otherwise.
 *
 * @param text the text, or the base64 of the bytes; empty for no body
 * @param base64 whether {@code text} is base64
 * @param mimeType the declared media type without parameters, empty if none
 * @param mayBeJson whether the body is complete text that declares or looks like JSON
 */
public record Content(String text, boolean base64, String mimeType, boolean mayBeJson) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The body of a captured message. */
  public static Content of(Body body) {
    String mimeType = MimeTypes.essence(body.getContentType());
    if (body.getData().isEmpty()) {
      return new Content("", false, mimeType, false);
    }
    DecodedBody decoded = BodyDecoder.decode(body);
    BodyText text =
        decoded.decoded()
            ? BodyText.of(decoded.bytes(), body.getContentType(), !decoded.complete())
            : BodyText.base64(decoded.bytes());
    boolean mayBeJson =
        !text.base64() && decoded.complete() && looksLikeJson(mimeType, text.text());
    return new Content(text.text(), text.base64(), mimeType, mayBeJson);
  }

  /**
   * The body parsed, when it is JSON. Parsed on each call and not kept: a parsed tree takes several
   * times the text's memory, and writers that hold many exchanges hold only their text.
   */
  public Optional<JsonNode> json() {
    if (!mayBeJson) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(text));
    } catch (IOException e) {
      return Optional.empty();
    }
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
