package dev.tapedeck.content;

import java.util.Optional;

/**
 * A captured body read the one way every part of Tapedeck reads it (the API's entry view, HAR and
 * every other export, protocol recognition): its Content-Encoding undone ({@link ContentCodings}),
 * then text in its type's charset or base64 ({@link BodyText}, {@link ContentType}).
 *
 * <p>A body whose coding could not be undone (unknown or corrupt) is shown as the base64 of the
 * bytes as captured.
 */
public final class ReadableBody {

  private final ContentType contentType;
  private final DecodedContent decoded;
  private BodyText text;

  private ReadableBody(ContentType contentType, DecodedContent decoded) {
    this.contentType = contentType;
    this.decoded = decoded;
  }

  /**
   * Reads a captured body, decoding at most {@link ContentCodings#DEFAULT_MAX_DECODED_BYTES}.
   *
   * @param data the bytes as captured
   * @param contentType the body's type (see {@link ContentType#of})
   * @param contentEncoding its Content-Encoding, null or empty for none
   * @param truncated whether {@code data} is only the start of the body
   */
  public static ReadableBody read(
      byte[] data, ContentType contentType, String contentEncoding, boolean truncated) {
    return read(data, contentType, contentEncoding, truncated, ContentCodings.DEFAULT_MAX_DECODED_BYTES);
  }

  /** {@link #read(byte[], ContentType, String, boolean)} producing at most {@code maxBytes}. */
  public static ReadableBody read(
      byte[] data,
      ContentType contentType,
      String contentEncoding,
      boolean truncated,
      int maxBytes) {
    return new ReadableBody(
        contentType, ContentCodings.decode(data, contentEncoding, truncated, maxBytes));
  }

  /** The body's type. */
  public ContentType contentType() {
    return contentType;
  }

  /** The body with its coding undone (or as captured, see {@link DecodedContent#decoded()}). */
  public DecodedContent decoded() {
    return decoded;
  }

  /** The decoded bytes, or empty when the coding could not be undone. */
  public Optional<byte[]> bytes() {
    return decoded.decoded() ? Optional.of(decoded.bytes()) : Optional.empty();
  }

  /** Whether the bytes are the whole body (not truncated, not cut at the decoding limit). */
  public boolean complete() {
    return decoded.complete();
  }

  /** The body as text or base64, computed on first use. */
  public BodyText text() {
    if (text == null) {
      text =
          decoded.decoded()
              ? BodyText.of(decoded.bytes(), contentType, !decoded.complete())
              : BodyText.base64(decoded.bytes());
    }
    return text;
  }
}
