package dev.tapedeck.converter.export.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.content.BodyText;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A body as the converters use it: read with the shared {@code content} model ({@link
 * ReadableBody}), as text when it is text and base64 otherwise.
 *
 * @param text the text, or the base64 of the bytes; empty for no body
 * @param base64 whether {@code text} is base64
 * @param mimeType the declared media type without parameters, empty if none
 * @param mayBeJson whether the body is complete text that declares or looks like JSON
 */
public record Content(String text, boolean base64, String mimeType, boolean mayBeJson) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The body of a captured message with its headers (for a Content-Type the body lacks). */
  public static Content of(Body body, List<Header> headers) {
    ContentType type = CapturedBodies.contentType(body, headers);
    if (body.getData().isEmpty()) {
      return new Content("", false, type.essence(), false);
    }
    ReadableBody read = CapturedBodies.read(body, headers);
    BodyText text = read.text();
    boolean mayBeJson = !text.base64() && read.complete() && looksLikeJson(type, text.text());
    return new Content(text.text(), text.base64(), type.essence(), mayBeJson);
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

  private static boolean looksLikeJson(ContentType type, String text) {
    if (type.isJson()) {
      return true;
    }
    String start = text.stripLeading();
    return !type.isDeclared() && (start.startsWith("{") || start.startsWith("["));
  }
}
