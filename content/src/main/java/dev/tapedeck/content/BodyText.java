package dev.tapedeck.content;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Base64;

/**
 * Bytes as they are shown: text when they are text, base64 otherwise, so no byte is lost or
 * replaced.
 *
 * <p>The rule ({@link #of}): a {@link ContentType.Kind#BINARY binary} type is base64. A text type
 * is read in {@link ContentType#charset()}; bytes that are not valid there are base64. With no
 * type, bytes that are valid UTF-8 without control characters are text, anything else base64.
 *
 * @param text the text, or the base64 of the bytes
 * @param base64 whether {@code text} is base64
 */
public record BodyText(String text, boolean base64) {

  // A multi-byte character cut by truncation leaves at most this many bytes at the end.
  private static final int MAX_CUT_CHARACTER_BYTES = 3;

  /**
   * The bytes as text or base64, by the rule above.
   *
   * @param cut whether the bytes are only the start of the body, so may end inside a character
   *     (those last bytes are then left out of the text)
   */
  public static BodyText of(byte[] bytes, ContentType type, boolean cut) {
    ContentType.Kind kind = type.kind();
    if (kind == ContentType.Kind.BINARY) {
      return base64(bytes);
    }
    String text = decode(bytes, type.charset(), cut);
    if (text != null && (kind == ContentType.Kind.TEXT || looksLikeText(text))) {
      return new BodyText(text, false);
    }
    return base64(bytes);
  }

  /** The bytes as base64. */
  public static BodyText base64(byte[] bytes) {
    return new BodyText(Base64.getEncoder().encodeToString(bytes), true);
  }

  private static String decode(byte[] bytes, Charset charset, boolean cut) {
    int minLength = cut ? Math.max(0, bytes.length - MAX_CUT_CHARACTER_BYTES) : bytes.length;
    for (int length = bytes.length; length >= minLength; length--) {
      try {
        return charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes, 0, length))
            .toString();
      } catch (CharacterCodingException e) {
        // one byte shorter: the cut may have split a character
      }
    }
    return null;
  }

  private static boolean looksLikeText(String text) {
    return text.chars()
        .noneMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f');
  }
}
