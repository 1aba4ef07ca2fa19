package dev.tapedeck.converter.export.har;

import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.proto.capture.v1.Body;

/**
 * Undoes the Content-Encoding of captured bodies (gzip, deflate, br, zstd, or several), with the
 * shared {@code content} module.
 */
public final class BodyDecoder {

  // A few KiB of gzip can inflate to gigabytes; stop there and mark the body incomplete.
  static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

  private BodyDecoder() {}

  /**
   * The body's bytes with its Content-Encoding undone. A truncated capture decodes as far as it
   * goes; an unknown encoding, or corrupt data, leaves the bytes as captured.
   */
  public static DecodedBody decode(Body body) {
    DecodedContent decoded =
        ContentCodings.decode(
            body.getData().toByteArray(), body.getContentEncoding(), body.getTruncated(), MAX_DECODED_BYTES);
    return new DecodedBody(decoded.bytes(), decoded.encoding(), decoded.decoded(), decoded.complete());
  }
}
