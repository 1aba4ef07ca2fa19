package dev.tapedeck.benchmark;

/** {@code --name value} flags of the benchmarks. */
final class BenchFlags {
  private BenchFlags() {}

  static String flag(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static int intFlag(String[] args, String name, int fallback) {
    return Integer.parseInt(flag(args, name, String.valueOf(fallback)));
  }
}
