package dev.tapedeck.converter.export.convert;

import dev.tapedeck.content.ContentType;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.List;

/**
 * Captured bodies read with the shared {@code content} model, so every export (HAR, mocks,
 * collections, scripts, OpenAPI) and the API show one body the same way.
 */
public final class CapturedBodies {

  private CapturedBodies() {}

  /**
   * The body of a message: its type is the body's own Content-Type, else the message's
   * Content-Type header.
   */
  public static ReadableBody read(Body body, List<Header> headers) {
    return ReadableBody.read(
        body.getData().toByteArray(),
        contentType(body, headers),
        body.getContentEncoding(),
        body.getTruncated());
  }

  /** The type of a message's body: its own Content-Type, else the Content-Type header. */
  public static ContentType contentType(Body body, List<Header> headers) {
    return ContentType.of(body.getContentType(), header(headers, "Content-Type"));
  }

  private static String header(List<Header> headers, String name) {
    for (Header header : headers) {
      if (header.getName().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return "";
  }
}
