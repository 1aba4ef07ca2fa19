package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarPostData;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedRequest;

/**
 * A request body as HAR post data: its type and its text, or its base64 with {@code "_encoding":
 * "base64"} (HAR 1.2 has no encoding field for post data) when it is not text.
 */
final class HarPostDataMapper {

  private HarPostDataMapper() {}

  /** The post data, or null when the request has no body. */
  static HarPostData map(CapturedRequest request) {
    Body body = request.getBody();
    if (BodyComments.wireSize(body) == 0) {
      return null;
    }
    String contentType = contentType(request);
    DecodedBody decoded = BodyDecoder.decode(body);
    BodyText text =
        decoded.decoded()
            ? BodyText.of(decoded.bytes(), contentType, !decoded.complete())
            : BodyText.base64(decoded.bytes());

    HarPostData postData = new HarPostData();
    postData.setMimeType(contentType.isEmpty() ? "application/octet-stream" : contentType);
    postData.setText(text.text());
    if (text.base64()) {
      postData.setAdditionalField("_encoding", "base64");
    }
    postData.setComment(BodyComments.of(body, decoded));
    return postData;
  }

  private static String contentType(CapturedRequest request) {
    String declared = request.getBody().getContentType();
    return declared.isEmpty()
        ? HarHeaders.first(request.getHeadersList(), "Content-Type")
        : declared;
  }
}
