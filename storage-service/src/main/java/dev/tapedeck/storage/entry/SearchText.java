package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text an entry is searched by, stored beside it in lower case: header lines of both
 * messages, and the decoded textual bodies in their charset (each up to {@link #BODY_CHARS}), by
 * the same content model the API and the exports show bodies with. Binary bodies are
 * left out; the URL is searched in its own field.
 */
public final class SearchText {
  /** The most characters of each body that search sees. */
  public static final int BODY_CHARS = 64 * 1024;

  /** Content-Type values remembered with their parse (they repeat from entry to entry). */
  private static final int TYPES_CACHED = 256;

  /** Longer Content-Type values are parsed each time rather than remembered. */
  private static final int TYPE_CACHED_CHARS = 128;

  private static final Map<String, ContentType> TYPES = new ConcurrentHashMap<>();

  private SearchText() {}

  /** Each thread's buffer for {@link #asciiLowerCase}. */
  private static final ThreadLocal<AsciiText> SCRATCH = ThreadLocal.withInitial(AsciiText::new);

  /**
   * {@link #of} as UTF-8 bytes when the whole text is ASCII, built without a String: the headers'
   * characters and the bodies' bytes (bodies in an ASCII-compatible charset) copied, {@code A-Z}
   * lowered eight bytes at a time, which is exactly what {@code toLowerCase(Locale.ROOT)} does to
   * ASCII. Null when any header character or body byte the text would hold is not ASCII, or a
   * textual body's charset is not ASCII-compatible: then {@link #of} is the text.
   *
   * <p>The bytes are in the calling thread's own buffer, valid until its next call.
   */
  public static AsciiText asciiLowerCase(CapturedExchange exchange) {
    AsciiText text = SCRATCH.get();
    text.clear();
    boolean ascii =
        text.headers(exchange.getRequest().getHeadersList())
            && text.headers(exchange.getResponse().getHeadersList())
            && text.body(exchange.getRequest().getBody())
            && text.body(exchange.getResponse().getBody())
            && text.lowerAscii();
    return ascii ? text : null;
  }

  /** The text of {@link #of} gathered as ASCII bytes, in a buffer a thread reuses. */
  public static final class AsciiText {
    /** A buffer grown past this is not kept for the next exchange. */
    private static final int KEPT_BYTES = 512 * 1024;

    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Added to an ASCII byte, sets its high bit when it is at least {@code 'A'}. */
    private static final long FROM_A = 0x3F3F3F3F3F3F3F3FL;
    /** Added to an ASCII byte, sets its high bit when it is past {@code 'Z'}. */
    private static final long PAST_Z = 0x2525252525252525L;

    private byte[] bytes = new byte[8 * 1024];
    private int length;

    /**
     * The compressed bodies this pass decoded, and what they decoded to: when the text turns out
     * not to be ASCII, {@link #of(CapturedExchange, AsciiText)} takes them rather than
     * decompressing the same bodies again.
     */
    private final Body[] decodedBodies = new Body[2];

    private final byte[][] decoded = new byte[2][];

    private int decodedCount;

    private AsciiText() {}

    /** The buffer; the text is its first {@link #length()} bytes. */
    public byte[] bytes() {
      return bytes;
    }

    /** How many bytes the text has. */
    public int length() {
      return length;
    }

    private void clear() {
      if (bytes.length > KEPT_BYTES) {
        bytes = new byte[8 * 1024];
      }
      length = 0;
      for (int i = 0; i < decodedCount; i++) {
        decodedBodies[i] = null;
        decoded[i] = null;
      }
      decodedCount = 0;
    }

    /** What this pass decoded {@code body} to; null when it did not decode it. */
    private byte[] decodedOf(Body body) {
      for (int i = 0; i < decodedCount; i++) {
        if (decodedBodies[i] == body) {
          return decoded[i];
        }
      }
      return null;
    }

    private boolean headers(List<Header> headers) {
      for (Header h : headers) {
        if (!chars(h.getName())) {
          return false;
        }
        ensure(2);
        bytes[length++] = ':';
        bytes[length++] = ' ';
        if (!chars(h.getValue())) {
          return false;
        }
        ensure(1);
        bytes[length++] = '\n';
      }
      return true;
    }

    private boolean body(Body body) {
      if (body.getData().isEmpty()) {
        return true;
      }
      ContentType type = contentType(body.getContentType());
      if (type.kind() != ContentType.Kind.TEXT) {
        return true;
      }
      if (!asciiCompatible(type.charset())) {
        return false;
      }
      // In these charsets ASCII bytes are one character each, so the first BODY_CHARS bytes are
      // the first BODY_CHARS characters of the decoded body when they are all ASCII (which
      // lowerAscii checks).
      int n;
      if (notEncoded(body.getContentEncoding())) {
        ByteString data = body.getData();
        n = Math.min(data.size(), BODY_CHARS);
        ensure(n + 1);
        data.copyTo(bytes, 0, length, n);
      } else {
        byte[] decodedBody = decode(body);
        if (decodedCount < decoded.length) {
          decodedBodies[decodedCount] = body;
          decoded[decodedCount++] = decodedBody;
        }
        n = Math.min(decodedBody.length, BODY_CHARS);
        ensure(n + 1);
        System.arraycopy(decodedBody, 0, bytes, length, n);
      }
      length += n;
      bytes[length++] = '\n';
      return true;
    }

    /** Copies a string's characters as bytes; false when one is not ASCII. */
    private boolean chars(String s) {
      int n = s.length();
      ensure(n);
      int or = 0;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        or |= c;
        bytes[length + i] = (byte) c;
      }
      length += n;
      return (or & 0xFF80) == 0;
    }

    private void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    /**
     * Lowers {@code A-Z} in place, eight bytes at a time; false when a byte is not ASCII (the
     * text is then left half-lowered, and not used).
     */
    private boolean lowerAscii() {
      long high = 0;
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        long w = (long) LONGS.get(bytes, i);
        high |= w;
        // No byte carries into the next while all are ASCII; when one is not, the result is
        // thrown away.
        long upper = (w + FROM_A) & ~(w + PAST_Z) & HIGH_BITS;
        LONGS.set(bytes, i, w | (upper >>> 2));
      }
      for (; i < length; i++) {
        byte b = bytes[i];
        high |= b;
        if (b >= 'A' && b <= 'Z') {
          bytes[i] = (byte) (b | 0x20);
        }
      }
      return (high & HIGH_BITS) == 0;
    }
  }

  /** Charsets that decode each ASCII byte to that same character. */
  private static boolean asciiCompatible(Charset charset) {
    return charset.equals(StandardCharsets.UTF_8)
        || charset.equals(StandardCharsets.US_ASCII)
        || charset.equals(StandardCharsets.ISO_8859_1);
  }

  /** {@link ContentType#parse}, remembered for short values while few are. */
  static ContentType contentType(String value) {
    if (value.length() > TYPE_CACHED_CHARS) {
      return ContentType.parse(value);
    }
    ContentType type = TYPES.get(value);
    if (type == null) {
      type = ContentType.parse(value);
      if (TYPES.size() < TYPES_CACHED) {
        TYPES.put(value, type);
      }
    }
    return type;
  }

  /** The lower-case search text of {@code exchange}. */
  public static String of(CapturedExchange exchange) {
    return of(exchange, null);
  }

  /**
   * {@link #of(CapturedExchange)} after {@link #asciiLowerCase} found the text not ASCII on this
   * thread: the compressed bodies that call decoded are taken from it, not decompressed again.
   */
  public static String ofNonAscii(CapturedExchange exchange) {
    return of(exchange, SCRATCH.get());
  }

  private static String of(CapturedExchange exchange, AsciiText after) {
    StringBuilder text = new StringBuilder(1024);
    headers(text, exchange.getRequest().getHeadersList());
    headers(text, exchange.getResponse().getHeadersList());
    body(text, exchange.getRequest().getBody(), after);
    body(text, exchange.getResponse().getBody(), after);
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /** A compressed body's bytes, decoded as search reads them (up to 4 bytes a character). */
  private static byte[] decode(Body body) {
    return ContentCodings.decode(
            body.getData().toByteArray(),
            body.getContentEncoding(),
            body.getTruncated(),
            BODY_CHARS * 4)
        .bytes();
  }

  private static void headers(StringBuilder text, List<Header> headers) {
    for (Header h : headers) {
      text.append(h.getName()).append(": ").append(h.getValue()).append('\n');
    }
  }

  private static void body(StringBuilder text, Body body, AsciiText after) {
    if (body.getData().isEmpty()) {
      return;
    }
    ContentType type = contentType(body.getContentType());
    if (type.kind() != ContentType.Kind.TEXT) {
      return;
    }
    String decoded;
    if (notEncoded(body.getContentEncoding())) {
      // Not encoded: read the first bytes in place (a character takes at most 4), without a copy
      // of the whole body.
      ByteString data = body.getData();
      decoded = data.substring(0, Math.min(data.size(), BODY_CHARS * 4)).toString(type.charset());
    } else {
      byte[] bytes = after == null ? null : after.decodedOf(body);
      if (bytes == null) {
        bytes = decode(body);
      }
      decoded = new String(bytes, type.charset());
    }
    text.append(decoded, 0, Math.min(decoded.length(), BODY_CHARS)).append('\n');
  }

  /** Whether a Content-Encoding value names no coding (empty, or only {@code identity}). */
  private static boolean notEncoded(String contentEncoding) {
    if (contentEncoding.isEmpty()) {
      return true;
    }
    for (String part : contentEncoding.split(",")) {
      String coding = part.trim();
      if (!coding.isEmpty() && !coding.equalsIgnoreCase("identity")) {
        return false;
      }
    }
    return true;
  }
}
