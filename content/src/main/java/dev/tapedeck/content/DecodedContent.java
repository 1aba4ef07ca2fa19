package dev.tapedeck.content;

/**
 * A body with its Content-Encoding undone.
 *
 * @param bytes the decoded bytes, or the captured bytes when they could not be decoded
 * @param encoding the Content-Encoding that was undone (normalized: trimmed, lower case), empty
 *     when the body was not encoded
 * @param decoded false when {@code bytes} are still in {@code encoding} (unsupported or corrupt)
 * @param complete false when the bytes are only the start of the body (the capture was truncated,
 *     or the output limit reached)
 */
public record DecodedContent(byte[] bytes, String encoding, boolean decoded, boolean complete) {

  /** Whether {@code bytes} differ from the captured bytes. */
  public boolean wasEncoded() {
    return !encoding.isEmpty() && decoded;
  }
}
