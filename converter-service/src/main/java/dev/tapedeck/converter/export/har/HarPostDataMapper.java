package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarPostData;
import dev.tapedeck.content.BodyText;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.converter.export.convert.CapturedBodies;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedRequest;

/**
 * A request body as HAR post data, read with the shared {@code content} model: its type and its
 * text, or its base64 with {@code "_encoding": "base64"} (HAR 1.2 has no encoding field for post
 * data) when it is not text.
 */
final class HarPostDataMapper {

  private HarPostDataMapper() {}

  /** The post data, or null when the request has no body. */
  static HarPostData map(CapturedRequest request) {
    Body body = request.getBody();
    if (BodyComments.wireSize(body) == 0) {
      return null;
    }
    ReadableBody read = CapturedBodies.read(body, request.getHeadersList());
    String contentType = read.contentType().declared();
    BodyText text = read.text();

    HarPostData postData = new HarPostData();
    postData.setMimeType(contentType.isEmpty() ? "application/octet-stream" : contentType);
    postData.setText(text.text());
    if (text.base64()) {
      postData.setAdditionalField("_encoding", "base64");
    }
    postData.setComment(BodyComments.of(body, read.decoded()));
    return postData;
  }
}
