package dev.tapedeck.devstack;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command-line flags of the dev stack's main classes: {@code --name value} options and bare
 * {@code --switch}es, anything else an error.
 */
final class Flags {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> switches = new HashSet<>();

  private Flags() {}

  /**
   * Parses {@code args}, accepting only the listed options (which take a value) and switches.
   *
   * @throws IllegalArgumentException for an unknown flag or a missing value
   */
  static Flags parse(String[] args, Set<String> options, Set<String> switchNames) {
    Flags flags = new Flags();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (switchNames.contains(name) && value == null) {
        flags.switches.add(name);
      } else if (options.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
          }
          value = args[++i];
        }
        flags.values.put(name, value);
      } else {
        throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return flags;
  }

  Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  int intValue(String name, int fallback) {
    String value = values.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number, got '" + value + "'");
    }
  }

  Optional<Path> path(String name) {
    return value(name).map(v -> Path.of(v).toAbsolutePath().normalize());
  }

  boolean has(String switchName) {
    return switches.contains(switchName);
  }
}
