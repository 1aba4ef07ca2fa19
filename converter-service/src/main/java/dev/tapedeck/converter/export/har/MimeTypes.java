package dev.tapedeck.converter.export.har;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** What a declared Content-Type says about a body: whether it is text, and in which charset. */
public final class MimeTypes {

  /** HAR's (and Chrome's) word for a body that declared no type. */
  static final String UNKNOWN = "x-unknown";

  private static final Set<String> TEXT_APPLICATION_SUBTYPES =
      Set.of(
          "json",
          "xml",
          "javascript",
          "ecmascript",
          "x-javascript",
          "x-www-form-urlencoded",
          "graphql",
          "x-ndjson",
          "ndjson",
          "yaml",
          "x-yaml",
          "csv",
          "sql",
          "x-sh",
          "jsonl",
          "x-jsonlines");

  private MimeTypes() {}

  /** The media type without parameters, lower case: {@code "text/html"}. */
  public static String essence(String contentType) {
    int semicolon = contentType.indexOf(';');
    String essence = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return essence.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the type names text: {@code text/*}, the JSON, XML and JavaScript families and a few
   * more. Unknown when the type is empty.
   */
  public static Boolean isText(String contentType) {
    String essence = essence(contentType);
    if (essence.isEmpty()) {
      return null;
    }
    int slash = essence.indexOf('/');
    String type = slash < 0 ? essence : essence.substring(0, slash);
    String subtype = slash < 0 ? "" : essence.substring(slash + 1);
    return type.equals("text")
        || subtype.endsWith("+json")
        || subtype.endsWith("+xml")
        || subtype.endsWith("+yaml")
        || (type.equals("application") && TEXT_APPLICATION_SUBTYPES.contains(subtype));
  }

  /** The charset the type declares, UTF-8 when it declares none or one this JVM lacks. */
  public static Charset charset(String contentType) {
    for (String parameter : contentType.split(";")) {
      String p = parameter.trim();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        String name = p.substring(8).trim().replace("\"", "");
        try {
          return Charset.forName(name);
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
