package dev.tapedeck.control.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.correlation.JsonPaths;
import dev.tapedeck.correlation.ValueTypes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Decides whether one difference is noise, and says why: {@code header}, {@code jsonPath}, {@code timestamp}, {@code uuid}. */
final class Noise {
  private static final Pattern ISO_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}([.,]\\d{1,9})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?)?");
  private static final Pattern HTTP_DATE =
      Pattern.compile("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
  private static final Pattern EPOCH = Pattern.compile("1\\d{9}|1\\d{12}|1\\d{9}\\.\\d+");

  private final Set<String> headers;
  private final Set<String> exactPaths;
  private final Set<String> anywhere;
  private final boolean timestamps;
  private final boolean uuids;

  Noise(NoiseSet set) {
    this.headers = set.headers().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.exactPaths =
        set.jsonPaths().stream().filter(p -> !p.startsWith("$..")).map(Noise::anyIndex).collect(Collectors.toSet());
    this.anywhere = set.jsonPaths().stream().filter(p -> p.startsWith("$..")).map(p -> p.substring(3)).collect(Collectors.toSet());
    this.timestamps = set.valueShapes().contains("timestamp");
    this.uuids = set.valueShapes().contains("uuid");
  }

  static String anyIndex(String path) {
    return path.replaceAll("\\[\\d+\\]", "[*]");
  }

  /** Why a changed header is noise, or empty. */
  Optional<String> header(String name, String recorded, String actual) {
    if (headers.contains(name.toLowerCase(Locale.ROOT))) {
      return Optional.of("header");
    }
    return shape(recorded, actual);
  }

  /** Why a changed body value is noise, or empty. */
  Optional<String> body(String path, JsonNode recorded, JsonNode actual) {
    String last = JsonPaths.lastName(path);
    if (exactPaths.contains(anyIndex(path)) || last != null && anywhere.contains(last)) {
      return Optional.of("jsonPath");
    }
    if (recorded != null && actual != null && recorded.isValueNode() && actual.isValueNode()) {
      return shape(recorded.asText(), actual.asText());
    }
    return Optional.empty();
  }

  private Optional<String> shape(String recorded, String actual) {
    if (recorded == null || actual == null) {
      return Optional.empty();
    }
    if (timestamps && timestamp(recorded) && timestamp(actual)) {
      return Optional.of("timestamp");
    }
    if (uuids && ValueTypes.UUID.matcher(recorded).matches() && ValueTypes.UUID.matcher(actual).matches()) {
      return Optional.of("uuid");
    }
    return Optional.empty();
  }

  static boolean timestamp(String value) {
    return ISO_TIME.matcher(value).matches() || HTTP_DATE.matcher(value).matches() || EPOCH.matcher(value).matches();
  }

  /** The paths in {@code set} that are not well formed, for validation. */
  static List<String> malformedPaths(NoiseSet set) {
    return set.jsonPaths().stream().filter(p -> p == null || !p.startsWith("$") || p.length() > 300).toList();
  }
}
