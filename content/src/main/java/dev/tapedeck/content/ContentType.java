package dev.tapedeck.content;

import com.google.common.collect.ImmutableList;
import com.google.common.net.MediaType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A Content-Type value parsed once (with Guava's {@link MediaType}): the media type, its {@code
 * +json}/{@code +xml} suffix, its parameters, the charset a body of it is read in, and whether such
 * a body is text.
 *
 * <p><b>The charset rule.</b> A {@code charset} parameter this JVM knows wins. Without one (or with
 * one it does not know) the body is read as UTF-8, whatever the type: JSON is UTF-8 by RFC 8259;
 * for {@code text/*} RFC 9110 dropped RFC 2616's ISO-8859-1 default, and HAR viewers (Chrome) read
 * such bodies as UTF-8. Bytes that are not valid in the charset are never replaced: {@link
 * BodyText} shows them as base64 instead.
 *
 * <p>A value Guava cannot parse is read leniently: parameters that are not {@code name=value}
 * ({@code "text/html;"}, {@code "text/csv; header; charset=latin1"}) are dropped, then the
 * parameters altogether; a value with no {@code type/subtype} counts as no type.
 */
public final class ContentType {

  /** Whether a body is text a person can read. */
  public enum Kind {
    /** The type names text: read in {@link #charset()}. */
    TEXT,
    /** The type names bytes (images, archives, protobuf): shown as base64. */
    BINARY,
    /** No type was declared: the bytes decide (clean UTF-8 is text). */
    UNDECLARED
  }

  private static final ContentType NONE = new ContentType("", null);

  // application/<subtype> that is text although it is not under text/ and has no +json/+xml suffix.
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
          "jsonl",
          "x-jsonlines",
          "yaml",
          "x-yaml",
          "csv",
          "sql",
          "x-sh",
          "x-sql");

  private static final Set<String> TEXT_SUFFIXES = Set.of("json", "xml", "yaml");

  private final String declared;
  private final MediaType media;

  private ContentType(String declared, MediaType media) {
    this.declared = declared;
    this.media = media;
  }

  /** The Content-Type {@code value} (null or blank for none); never throws. */
  public static ContentType parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String trimmed = value.trim();
    MediaType media = tryParse(trimmed);
    if (media == null) {
      media = tryParse(withWellFormedParameters(trimmed));
    }
    if (media == null) {
      int semicolon = trimmed.indexOf(';');
      media = tryParse(semicolon < 0 ? trimmed : trimmed.substring(0, semicolon).trim());
    }
    return new ContentType(trimmed, media);
  }

  /**
   * The type of a message: {@code declared} (a captured body's own Content-Type) when there is one,
   * else {@code headerValue} (its Content-Type header).
   */
  public static ContentType of(String declared, String headerValue) {
    return parse(declared == null || declared.isBlank() ? headerValue : declared);
  }

  private static MediaType tryParse(String value) {
    try {
      MediaType media = MediaType.parse(value);
      return media.hasWildcard() ? null : media;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String withWellFormedParameters(String value) {
    String[] parts = value.split(";");
    StringBuilder out = new StringBuilder(parts[0].trim());
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      int equals = part.indexOf('=');
      if (equals > 0 && equals < part.length() - 1) {
        out.append("; ").append(part);
      }
    }
    return out.toString();
  }

  /** The value as declared (trimmed), empty when none. */
  public String declared() {
    return declared;
  }

  /** Whether the value named a media type ({@code type/subtype}). */
  public boolean isDeclared() {
    return media != null;
  }

  /** The media type without parameters, lower case ({@code "text/csv"}); empty when none. */
  public String essence() {
    return media == null ? "" : media.type() + "/" + media.subtype();
  }

  /** The top-level type, lower case ({@code "text"}); empty when none. */
  public String type() {
    return media == null ? "" : media.type();
  }

  /** The subtype, lower case ({@code "vnd.api+json"}); empty when none. */
  public String subtype() {
    return media == null ? "" : media.subtype();
  }

  /** The structured-syntax suffix ({@code "json"} of {@code vnd.api+json}); empty when none. */
  public String suffix() {
    String subtype = subtype();
    int plus = subtype.lastIndexOf('+');
    return plus < 0 ? "" : subtype.substring(plus + 1);
  }

  /** The first value of parameter {@code name} (any case), unquoted. */
  public Optional<String> parameter(String name) {
    if (media == null) {
      return Optional.empty();
    }
    ImmutableList<String> values = media.parameters().get(name.toLowerCase(Locale.ROOT));
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether the type is JSON: {@code application/json} or a {@code +json} type. */
  public boolean isJson() {
    return subtype().equals("json") || suffix().equals("json");
  }

  /** Whether the type is XML: {@code application/xml}, {@code text/xml} or a {@code +xml} type. */
  public boolean isXml() {
    return subtype().equals("xml") || suffix().equals("xml");
  }

  /**
   * Whether a body of this type is text: {@code text/*}, {@code +json}, {@code +xml} and {@code
   * +yaml} types, and the application types that are text (JSON, XML, JavaScript, form data,
   * GraphQL, NDJSON, YAML, CSV, SQL, shell).
   */
  public Kind kind() {
    if (media == null) {
      return Kind.UNDECLARED;
    }
    boolean text =
        media.type().equals("text")
            || TEXT_SUFFIXES.contains(suffix())
            || (media.type().equals("application")
                && TEXT_APPLICATION_SUBTYPES.contains(media.subtype()));
    return text ? Kind.TEXT : Kind.BINARY;
  }

  /** The charset the type declares, when this JVM knows it. */
  public Optional<Charset> declaredCharset() {
    return parameter("charset").flatMap(ContentType::charsetNamed);
  }

  /** The charset a body of this type is read in: the declared one, else UTF-8 (see above). */
  public Charset charset() {
    return declaredCharset().orElse(StandardCharsets.UTF_8);
  }

  private static Optional<Charset> charsetNamed(String name) {
    try {
      return Optional.of(Charset.forName(name.trim()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return declared;
  }
}
