package dev.tapedeck.content;

/** What a Content-Type says about a body, for callers that hold only the header value. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * Whether a body of this Content-Type is text a person can read, as opposed to bytes shown as
   * base64: {@link ContentType#kind()} is {@link ContentType.Kind#TEXT}.
   */
  public static boolean isText(String contentType) {
    return ContentType.parse(contentType).kind() == ContentType.Kind.TEXT;
  }
}
