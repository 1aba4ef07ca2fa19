package dev.tapedeck.correlation;

import dev.tapedeck.correlation.Correlation.Source;
import dev.tapedeck.correlation.Correlation.Target;
import java.util.Collection;

/**
 * How sure the engine is that a value flows rather than recurs by chance, 0.05 to 0.99: generated
 * shapes (JWT, UUID, random tokens) and long values score higher, numbers lower, and a target
 * whose name matches the source's (the cookie of the same name, the member {@code token}) or an
 * {@code Authorization} header adds to it.
 */
final class Confidence {
  private Confidence() {}

  static double of(String value, String type, Source source, Collection<Target> targets) {
    double c =
        switch (type) {
          case "jwt" -> 0.9;
          case "uuid", "token" -> 0.8;
          case "numeric" -> 0.4;
          default -> 0.5;
        };
    if (value.length() >= 16) {
      c += 0.05;
    }
    String sourceName = source.path() != null ? JsonPaths.lastName(source.path()) : source.name();
    for (Target t : targets) {
      String targetName = t.section().equals("body") ? JsonPaths.lastName(t.name()) : t.name();
      if (t.name() != null && t.name().equalsIgnoreCase("Authorization")
          || sourceName != null && sourceName.equalsIgnoreCase(targetName)) {
        c += 0.1;
        break;
      }
    }
    return Math.round(Math.max(0.05, Math.min(0.99, c)) * 100) / 100.0;
  }
}
