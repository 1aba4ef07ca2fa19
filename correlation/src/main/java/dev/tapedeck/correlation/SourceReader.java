package dev.tapedeck.correlation;

import dev.tapedeck.correlation.Correlation.Source;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads a correlation's source in a new response: the value the server handed out this time. */
public final class SourceReader {
  private SourceReader() {}

  /** The value at {@code source} in a response with these headers and body, or empty. */
  public static Optional<String> read(Source source, List<Step.Header> headers, String body) {
    return switch (source.section()) {
      case Source.JSON ->
          ResponseValues.json(body)
              .flatMap(root -> JsonPaths.read(root, source.path()))
              .filter(n -> n.isValueNode() && !n.isNull())
              .map(n -> n.asText());
      case Source.HEADER -> Step.first(headers, source.name()).map(String::trim);
      case Source.SET_COOKIE ->
          headers.stream()
              .filter(h -> h.name().toLowerCase(Locale.ROOT).equals("set-cookie"))
              .map(h -> ResponseValues.cookie(h.value()))
              .flatMap(Optional::stream)
              .filter(c -> c[0].equals(source.name()))
              .map(c -> c[1])
              .findFirst();
      default -> Optional.empty();
    };
  }
}
