package dev.tapedeck.content;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * The HTTP content codings a captured body may carry (RFC 9110 section 8.4.1): gzip, deflate, br
 * and zstd, several of them stacked ({@code gzip, br}), undone and redone.
 *
 * <p>gzip and deflate use java.util.zip, br uses brotli4j and zstd uses zstd-jni. Decoding is
 * bounded: a few KiB of compressed data can expand to gigabytes, so output stops at a limit and
 * the result says it is incomplete.
 */
public final class ContentCodings {
  /** The most bytes {@link #decode(byte[], String, boolean)} produces. */
  public static final int DEFAULT_MAX_DECODED_BYTES = 64 * 1024 * 1024;

  private ContentCodings() {}

  /** Whether every coding in {@code contentEncoding} is one this class can undo. */
  public static boolean supports(String contentEncoding) {
    return codings(contentEncoding).stream().allMatch(ContentCodings::known);
  }

  /** {@link #decode(byte[], String, boolean, int)} up to {@link #DEFAULT_MAX_DECODED_BYTES}. */
  public static DecodedContent decode(byte[] data, String contentEncoding, boolean truncated) {
    return decode(data, contentEncoding, truncated, DEFAULT_MAX_DECODED_BYTES);
  }

  /**
   * The bytes with {@code contentEncoding} undone. A truncated capture decodes as far as it goes;
   * an unknown coding, or corrupt data, leaves the bytes as captured ({@code decoded} false).
   *
   * @param truncated whether {@code data} is only the start of the body
   * @param maxBytes the most decoded bytes to produce
   */
  public static DecodedContent decode(
      byte[] data, String contentEncoding, boolean truncated, int maxBytes) {
    List<String> codings = codings(contentEncoding);
    String normalized = String.join(", ", codings);
    if (codings.isEmpty() || data.length == 0) {
      return new DecodedContent(data, normalized, codings.isEmpty(), !truncated);
    }
    if (!codings.stream().allMatch(ContentCodings::known)) {
      return new DecodedContent(data, normalized, false, !truncated);
    }
    byte[] bytes = data;
    boolean complete = !truncated;
    try {
      // Codings are listed in the order they were applied; undo the last one first.
      for (int i = codings.size() - 1; i >= 0; i--) {
        Inflated step = inflate(codings.get(i), bytes, complete, maxBytes);
        bytes = step.bytes();
        complete = step.complete();
      }
      return new DecodedContent(bytes, normalized, true, complete);
    } catch (IOException | RuntimeException e) {
      return new DecodedContent(data, normalized, false, !truncated);
    }
  }

  /**
   * {@code data} encoded with {@code contentEncoding} (codings applied in the order listed), for
   * a body that was changed and must go on in the coding it came in.
   *
   * @throws IllegalArgumentException if a coding is not supported
   */
  public static byte[] encode(byte[] data, String contentEncoding) {
    byte[] bytes = data;
    for (String coding : codings(contentEncoding)) {
      bytes = encodeOne(coding, bytes);
    }
    return bytes;
  }

  private static byte[] encodeOne(String coding, byte[] data) {
    try {
      return switch (coding) {
        case "gzip", "x-gzip" -> compress(data, GZIPOutputStream::new);
        case "deflate" -> compress(data, DeflaterOutputStream::new);
        case "br" -> {
          Brotli4jLoader.ensureAvailability();
          yield Encoder.compress(data);
        }
        case "zstd" -> Zstd.compress(data);
        default -> throw new IllegalArgumentException("Unsupported content coding: " + coding);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private interface StreamWrapper {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, StreamWrapper wrapper) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 2));
    try (OutputStream compressing = wrapper.wrap(out)) {
      compressing.write(data);
    }
    return out.toByteArray();
  }

  /** The codings of a Content-Encoding value, lower case, {@code identity} left out. */
  static List<String> codings(String contentEncoding) {
    List<String> codings = new ArrayList<>();
    if (contentEncoding == null) {
      return codings;
    }
    for (String part : contentEncoding.split(",")) {
      String coding = part.trim().toLowerCase(Locale.ROOT);
      if (!coding.isEmpty() && !coding.equals("identity")) {
        codings.add(coding);
      }
    }
    return codings;
  }

  private static boolean known(String coding) {
    return switch (coding) {
      case "gzip", "x-gzip", "deflate", "br", "zstd" -> true;
      default -> false;
    };
  }

  private record Inflated(byte[] bytes, boolean complete) {}

  private static Inflated inflate(String coding, byte[] data, boolean whole, int maxBytes)
      throws IOException {
    return switch (coding) {
      case "gzip", "x-gzip" -> read(new GZIPInputStream(new ByteArrayInputStream(data)), whole, maxBytes);
      case "deflate" -> inflateDeflate(data, whole, maxBytes);
      case "br" -> {
        Brotli4jLoader.ensureAvailability();
        yield read(new BrotliInputStream(new ByteArrayInputStream(data)), whole, maxBytes);
      }
      case "zstd" -> read(new ZstdInputStream(new ByteArrayInputStream(data)), whole, maxBytes);
      default -> throw new IllegalArgumentException("Unsupported content coding: " + coding);
    };
  }

  // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate data.
  private static Inflated inflateDeflate(byte[] data, boolean whole, int maxBytes)
      throws IOException {
    try {
      return read(new InflaterInputStream(new ByteArrayInputStream(data)), whole, maxBytes);
    } catch (ZipException e) {
      return read(
          new InflaterInputStream(new ByteArrayInputStream(data), new Inflater(true)),
          whole,
          maxBytes);
    }
  }

  private static Inflated read(InputStream in, boolean whole, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean complete = whole;
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        int room = maxBytes - out.size();
        out.write(buffer, 0, Math.min(n, room));
        if (n >= room) {
          complete = false;
          break;
        }
      }
    } catch (EOFException | RuntimeException e) {
      // The capture was cut inside the compressed stream: keep what decoded so far.
      if (whole || out.size() == 0) {
        throw e instanceof EOFException eof ? eof : new IOException(e);
      }
      complete = false;
    } catch (IOException e) {
      if (whole || out.size() == 0) {
        throw e;
      }
      complete = false;
    }
    return new Inflated(out.toByteArray(), complete);
  }
}
