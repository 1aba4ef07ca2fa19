package dev.tapedeck.converter.export.har;

import dev.tapedeck.proto.capture.v1.Body;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/** Undoes the gzip and deflate Content-Encodings of captured bodies, with java.util.zip. */
public final class BodyDecoder {

  // A few KiB of gzip can inflate to gigabytes; stop there and mark the body incomplete.
  static final int MAX_DECODED_BYTES = 64 * 1024 * 1024;

  private BodyDecoder() {}

  /**
   * The body's bytes with its Content-Encoding undone. A truncated capture decodes as far as it
   * goes; an encoding other than gzip or deflate, or corrupt data, leaves the bytes as captured.
   */
  public static DecodedBody decode(Body body) {
    byte[] data = body.getData().toByteArray();
    String encoding = body.getContentEncoding().trim().toLowerCase(Locale.ROOT);
    boolean wholeCapture = !body.getTruncated();
    if (encoding.isEmpty() || encoding.equals("identity") || data.length == 0) {
      return new DecodedBody(data, "", true, wholeCapture);
    }
    try {
      return switch (encoding) {
        case "gzip", "x-gzip" ->
            inflate(new GZIPInputStream(new ByteArrayInputStream(data)), encoding, wholeCapture);
        case "deflate" -> inflateDeflate(data, wholeCapture);
        default -> new DecodedBody(data, encoding, false, wholeCapture);
      };
    } catch (IOException e) {
      return new DecodedBody(data, encoding, false, wholeCapture);
    }
  }

  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate data.
  private static DecodedBody inflateDeflate(byte[] data, boolean wholeCapture) throws IOException {
    try {
      return inflate(
          new InflaterInputStream(new ByteArrayInputStream(data)), "deflate", wholeCapture);
    } catch (ZipException e) {
      return inflate(
          new InflaterInputStream(new ByteArrayInputStream(data), new Inflater(true)),
          "deflate",
          wholeCapture);
    }
  }

  private static DecodedBody inflate(InputStream in, String encoding, boolean wholeCapture)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean complete = true;
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        int room = MAX_DECODED_BYTES - out.size();
        out.write(buffer, 0, Math.min(n, room));
        if (n >= room) {
          complete = false;
          break;
        }
      }
    } catch (EOFException e) {
      // The capture was cut inside the compressed stream: keep what inflated so far.
      if (wholeCapture) {
        throw e;
      }
      complete = false;
    }
    return new DecodedBody(out.toByteArray(), encoding, true, complete && wholeCapture);
  }
}
