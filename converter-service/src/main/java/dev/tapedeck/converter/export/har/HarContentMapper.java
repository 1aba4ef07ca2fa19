package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarContent;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedResponse;

/**
 * A response body as HAR content: decoded from gzip or deflate, then text, or base64 with {@code
 * encoding: "base64"}. {@code size} is the decoded size and {@code compression} the bytes the
 * encoding saved.
 */
final class HarContentMapper {

  private HarContentMapper() {}

  static HarContent map(CapturedResponse response) {
    Body body = response.getBody();
    String contentType = body.getContentType();
    if (contentType.isEmpty()) {
      contentType = HarHeaders.first(response.getHeadersList(), "Content-Type");
    }
    HarContent content = new HarContent();
    content.setMimeType(contentType.isEmpty() ? MimeTypes.UNKNOWN : contentType);
    long wireSize = BodyComments.wireSize(body);
    if (wireSize == 0) {
      content.setSize(0L);
      return content;
    }

    DecodedBody decoded = BodyDecoder.decode(body);
    BodyText text =
        decoded.decoded()
            ? BodyText.of(decoded.bytes(), contentType, !decoded.complete())
            : BodyText.base64(decoded.bytes());
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
