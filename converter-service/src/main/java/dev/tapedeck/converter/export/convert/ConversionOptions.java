package dev.tapedeck.converter.export.convert;

import com.google.re2j.Pattern;
import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How entries are selected, matched and redacted, validated once from the request's {@code
 * ConversionOptions}: the options of {@code mockd convert}, redaction, and the collection fields of
 * the Mockarty reference.
 *
 * @param smartMatch whether ids in paths become parameters and samples decide loose matching
 * @param duplicates what mocks keep of repeated identical requests
 * @param methods the methods kept, upper case; empty keeps all
 * @param statuses the statuses kept; empty keeps all
 * @param includeHosts the hosts kept; empty keeps all
 * @param pathFilters the paths kept; empty keeps all
 * @param noRedact whether secrets stay as recorded
 * @param redactJsonPaths extra body values to redact
 * @param collectionName the document's name, empty for the session's
 * @param protocol what {@code export-collection} makes
 * @param baseUrl the URL scripts and collections call instead of the recorded origin, if any
 */
public record ConversionOptions(
    boolean smartMatch,
    Duplicates duplicates,
    Set<String> methods,
    List<StatusSelector> statuses,
    List<Glob> includeHosts,
    List<Glob> pathFilters,
    boolean noRedact,
    List<JsonPath> redactJsonPaths,
    String collectionName,
    CollectionProtocol protocol,
    Optional<String> baseUrl) {

  /** Most patterns in one list option (host and path globs, JSON paths). */
  public static final int MAX_LIST = 100;

  private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

  /** Keeps everything, redacts secrets, first of duplicates, no smart matching. */
  public static ConversionOptions defaults() {
    return parse(dev.tapedeck.proto.converter.v1.ConversionOptions.getDefaultInstance(), null);
  }

  /**
   * The options a request carries.
   *
   * @param errors receives one message per invalid field, naming it ({@code options.statuses[1]:
   *     ...}); may be null when the options are known to be valid
   * @return the options, with invalid values left out
   */
  public static ConversionOptions parse(
      dev.tapedeck.proto.converter.v1.ConversionOptions proto, List<String> errors) {
    List<String> problems = errors == null ? new ArrayList<>() : errors;
    return new ConversionOptions(
        proto.getSmartMatch(),
        duplicates(proto.getDuplicates(), problems),
        methods(proto.getMethodsList(), problems),
        statuses(proto.getStatusesList(), problems),
        globs("include_hosts", proto.getIncludeHostsList(), problems),
        globs("path_filters", proto.getPathFiltersList(), problems),
        proto.getNoRedact(),
        jsonPaths(proto.getRedactJsonPathsList(), problems),
        proto.getCollectionName().trim(),
        protocol(proto.getProtocol(), problems),
        baseUrl(proto.getBaseUrl(), problems));
  }

  private static Duplicates duplicates(String value, List<String> errors) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    if (name.isEmpty()) {
      return Duplicates.FIRST;
    }
    try {
      return Duplicates.valueOf(name);
    } catch (IllegalArgumentException e) {
      errors.add("options.duplicates: \"" + value + "\" is not one of first, last, all");
      return Duplicates.FIRST;
    }
  }

  private static CollectionProtocol protocol(String value, List<String> errors) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    if (name.isEmpty()) {
      return CollectionProtocol.HTTP;
    }
    try {
      return CollectionProtocol.valueOf(name);
    } catch (IllegalArgumentException e) {
      errors.add("options.protocol: \"" + value + "\" is not one of http, tests, performance");
      return CollectionProtocol.HTTP;
    }
  }

  private static Set<String> methods(List<String> values, List<String> errors) {
    Set<String> methods = new LinkedHashSet<>();
    for (int i = 0; i < values.size(); i++) {
      // mockd takes "GET,POST" in one flag; accept the same in one list element.
      for (String method : values.get(i).split(",")) {
        String name = method.trim();
        if (METHOD.matcher(name).matches()) {
          methods.add(name.toUpperCase(Locale.ROOT));
        } else {
          errors.add("options.methods[" + i + "]: \"" + values.get(i) + "\" is not an HTTP method");
        }
      }
    }
    return Set.copyOf(methods);
  }

  private static List<StatusSelector> statuses(List<String> values, List<String> errors) {
    List<StatusSelector> statuses = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      for (String status : values.get(i).split(",")) {
        Optional<StatusSelector> selector = StatusSelector.parse(status);
        if (selector.isPresent()) {
          statuses.add(selector.get());
        } else {
          errors.add(
              "options.statuses["
                  + i
                  + "]: \""
                  + values.get(i)
                  + "\" is not a status code (404) or class (2xx)");
        }
      }
    }
    return List.copyOf(statuses);
  }

  private static List<Glob> globs(String field, List<String> values, List<String> errors) {
    List<Glob> globs = new ArrayList<>();
    if (values.size() > MAX_LIST) {
      errors.add("options." + field + ": at most " + MAX_LIST + " patterns are allowed");
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      for (String pattern : splitOutsideBraces(values.get(i))) {
        if (pattern.isBlank()) {
          errors.add("options." + field + "[" + i + "]: empty pattern");
          continue;
        }
        try {
          globs.add(Glob.compile(pattern.trim()));
        } catch (IllegalArgumentException e) {
          errors.add(
              "options."
                  + field
                  + "["
                  + i
                  + "]: \""
                  + pattern
                  + "\" is not a glob: "
                  + e.getMessage());
        }
      }
    }
    return List.copyOf(globs);
  }

  // "a,b" is two globs as in mockd's flags, but "{a,b}" is one glob with alternatives.
  private static List<String> splitOutsideBraces(String value) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && depth == 0) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    return parts;
  }

  private static List<JsonPath> jsonPaths(List<String> values, List<String> errors) {
    List<JsonPath> paths = new ArrayList<>();
    if (values.size() > MAX_LIST) {
      errors.add("options.redact_json_paths: at most " + MAX_LIST + " paths are allowed");
      return List.of();
    }
    for (int i = 0; i < values.size(); i++) {
      String expression = values.get(i).trim();
      try {
        if (!expression.startsWith("$")) {
          throw new IllegalArgumentException("it must start with $");
        }
        if (expression.length() > dev.tapedeck.policy.UserPatterns.MAX_CHARS) {
          throw new IllegalArgumentException(
              "it has " + expression.length() + " characters, at most " + dev.tapedeck.policy.UserPatterns.MAX_CHARS
                  + " are allowed");
        }
        if (expression.contains("=~")) {
          // JsonPath runs =~ with java.util.regex, which backtracks: no user regex runs that way.
          throw new IllegalArgumentException("the regex filter =~ is not supported");
        }
        paths.add(JsonPath.compile(expression));
      } catch (RuntimeException e) {
        errors.add(
            "options.redact_json_paths["
                + i
                + "]: \""
                + values.get(i)
                + "\" is not a JSONPath: "
                + e.getMessage());
      }
    }
    return List.copyOf(paths);
  }

  private static Optional<String> baseUrl(String value, List<String> errors) {
    String url = value.trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    errors.add("options.base_url: \"" + value + "\" is not an absolute http(s) URL");
    return Optional.empty();
  }

  /** The collection or document name: the configured one, else {@code fallback}. */
  public String nameOr(String fallback) {
    return collectionName.isEmpty() ? fallback : collectionName;
  }
}
