package dev.tapedeck.converter.export.har;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Base64;

/**
 * How a body goes into a HAR document: as text when it is text, otherwise base64.
 *
 * @param text the text, or the base64 of the bytes
 * @param base64 whether {@code text} is base64
 */
public record BodyText(String text, boolean base64) {

  // A multi-byte character cut by truncation leaves at most this many bytes at the end.
  private static final int MAX_CUT_CHARACTER_BYTES = 3;

  /**
   * The body as text when its type is textual (or, with no type, when the bytes are clean UTF-8)
   * and the bytes decode in its charset; base64 otherwise, so nothing is lost.
   *
   * @param truncated whether the bytes may end inside a character
   */
  public static BodyText of(byte[] bytes, String contentType, boolean truncated) {
    Boolean declaredText = MimeTypes.isText(contentType);
    if (!Boolean.FALSE.equals(declaredText)) {
      Charset charset = MimeTypes.charset(contentType);
      String text = decode(bytes, charset, truncated);
      if (text != null && (declaredText != null || looksLikeText(text))) {
        return new BodyText(text, false);
      }
    }
    return base64(bytes);
  }

  /** The bytes as base64. */
  public static BodyText base64(byte[] bytes) {
    return new BodyText(Base64.getEncoder().encodeToString(bytes), true);
  }

  private static String decode(byte[] bytes, Charset charset, boolean truncated) {
    int minLength = truncated ? Math.max(0, bytes.length - MAX_CUT_CHARACTER_BYTES) : bytes.length;
    for (int length = bytes.length; length >= minLength; length--) {
      try {
        return charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, length))
            .toString();
      } catch (CharacterCodingException e) {
        // try one byte shorter: the cut may have split a character
      }
    }
    return null;
  }

  private static boolean looksLikeText(String text) {
    return text.chars()
        .noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f');
  }
}
