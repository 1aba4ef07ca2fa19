package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarContent;
import dev.tapedeck.content.BodyText;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.converter.export.convert.CapturedBodies;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedResponse;

/**
 * A response body as HAR content, read with the shared {@code content} model: decoded from its
 * Content-Encoding, then text in its charset, or base64 with {@code encoding: "base64"}. {@code
 * size} is the decoded size and {@code compression} the bytes the encoding saved.
 */
final class HarContentMapper {

  /** HAR's (and Chrome's) word for a body that declared no type. */
  static final String UNKNOWN_MIME_TYPE = "x-unknown";

  private HarContentMapper() {}

  static HarContent map(CapturedResponse response) {
    Body body = response.getBody();
    String contentType = CapturedBodies.contentType(body, response.getHeadersList()).declared();
    HarContent content = new HarContent();
    content.setMimeType(contentType.isEmpty() ? UNKNOWN_MIME_TYPE : contentType);
    long wireSize = BodyComments.wireSize(body);
    if (wireSize == 0) {
      content.setSize(0L);
      return content;
    }

    ReadableBody read = CapturedBodies.read(body, response.getHeadersList());
    DecodedContent decoded = read.decoded();
    BodyText text = read.text();
    content.setText(text.text());
    if (text.base64()) {
      content.setEncoding("base64");
    }
    if (decoded.wasEncoded()) {
      content.setSize((long) decoded.bytes().length);
      if (decoded.complete()) {
        content.setCompression(decoded.bytes().length - wireSize);
      }
    } else {
      // Not encoded (or left encoded): the wire size is the content size, even when truncated.
      content.setSize(wireSize);
    }
    content.setComment(BodyComments.of(body, decoded));
    return content;
  }
}
