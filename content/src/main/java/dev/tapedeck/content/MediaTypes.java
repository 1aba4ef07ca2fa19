package dev.tapedeck.content;

import java.util.Locale;

/** What a Content-Type says about a body. */
public final class MediaTypes {
  private MediaTypes() {}

  /**
   * Whether a body of this Content-Type is text a person can read (text/*, JSON, XML, JavaScript,
   * form data, GraphQL, SSE), as opposed to bytes shown as base64.
   */
  public static boolean isText(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    return type.startsWith("text/")
        || type.contains("json")
        || type.contains("xml")
        || type.contains("javascript")
        || type.contains("x-www-form-urlencoded")
        || type.contains("graphql")
        || type.contains("yaml");
  }
}
