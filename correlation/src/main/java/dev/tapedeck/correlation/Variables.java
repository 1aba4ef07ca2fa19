package dev.tapedeck.correlation;

import dev.tapedeck.correlation.Correlation.Source;
import java.util.Locale;
import java.util.Set;

/** Script variable names for correlated values, from the source's key: {@code token}, {@code x_csrf_token}. */
final class Variables {
  private Variables() {}

  static String of(Source source) {
    String raw = source.path() != null ? JsonPaths.lastName(source.path()) : source.name();
    String name = raw == null ? "" : raw.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      name = "value" + (name.isEmpty() ? "" : "_" + name);
    }
    return source.section().equals(Source.JSON) ? name : name.toLowerCase(Locale.ROOT);
  }

  static String unique(String name, Set<String> taken) {
    String candidate = name;
    for (int i = 2; !taken.add(candidate); i++) {
      candidate = name + "_" + i;
    }
    return candidate;
  }
}
