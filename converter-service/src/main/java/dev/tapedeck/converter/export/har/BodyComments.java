package dev.tapedeck.converter.export.har;

import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.proto.capture.v1.Body;

/** The comment that tells a HAR reader a body is not all there, or not decoded. */
final class BodyComments {

  private BodyComments() {}

  /** The body's size on the wire; the captured length when the proxy did not record a size. */
  static long wireSize(Body body) {
    return Math.max(body.getSize(), body.getData().size());
  }

  /** Says what is missing or left encoded; null when the body is whole and readable. */
  static String of(Body body, DecodedContent decoded) {
    StringBuilder comment = new StringBuilder();
    if (body.getTruncated()) {
      comment
          .append("truncated: captured ")
          .append(body.getData().size())
          .append(" of ")
          .append(body.getSize())
          .append(" bytes");
    } else if (!decoded.complete()) {
      comment
          .append("truncated: decoded output limited to ")
          .append(decoded.bytes().length)
          .append(" bytes");
    }
    if (!decoded.decoded()) {
      if (!comment.isEmpty()) {
        comment.append("; ");
      }
      comment.append("content-encoding ").append(decoded.encoding()).append(" kept as captured");
    }
    return comment.isEmpty() ? null : comment.toString();
  }
}
