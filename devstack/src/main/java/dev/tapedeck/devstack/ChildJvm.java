package dev.tapedeck.devstack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds command lines for the child JVMs the dev stack starts (Kafka, the services). */
final class ChildJvm {
  private ChildJvm() {}

  /** The java binary this JVM runs on, so children use the same JDK. */
  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The class path this JVM was started with (a {@code lib/*} wildcard arrives expanded). */
  static String classpath() {
    return System.getProperty("java.class.path");
  }

  /**
   * Options that keep JDK warnings about Kafka's and Netty's native and {@code Unsafe} use out of
   * the logs, for the JDK this JVM runs on.
   */
  static List<String> quietOptions() {
    List<String> options = new ArrayList<>();
    options.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 24) {
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    return options;
  }

  /**
   * The {@code -javaagent} option that makes a child exit with this JVM (see {@link ParentWatch}):
   * from the jar this class was loaded from, else from {@code fallbackJar} if it exists (when the
   * dev stack runs from a classes folder, as in a reactor build before packaging); empty if neither
   * is a jar.
   */
  static Optional<String> parentWatchAgent(Path fallbackJar) {
    return devstackJar()
        .or(() -> Optional.ofNullable(fallbackJar).filter(Files::isRegularFile))
        .map(jar -> "-javaagent:" + jar + "=" + ProcessHandle.current().pid());
  }

  /**
   * A hint to append to a child's failure when its log shows it could not load its classes:
   * children run with this JVM's class path, which must hold the dev stack and its {@code lib/}.
   */
  static String classpathHint(String logTail) {
    boolean missingClasses =
        logTail.contains("Could not find or load main class")
            || logTail.contains("ClassNotFoundException")
            || logTail.contains("NoClassDefFoundError");
    return missingClasses
        ? "\nThe child JVM got this JVM's class path and could not load its classes. Start the"
            + " stack as `java -cp devstack/target/tapedeck-devstack.jar:devstack/target/lib/*"
            + " ...` (after `./mvnw package -pl devstack -am`)."
        : "";
  }

  /** Main class and leading arguments that run {@code mainClass} under {@link ParentWatch}. */
  static List<String> watchedMain(String mainClass) {
    return List.of(
        ParentWatch.class.getName(), Long.toString(ProcessHandle.current().pid()), mainClass);
  }

  private static Optional<Path> devstackJar() {
    CodeSource source = ParentWatch.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return Optional.empty();
    }
    try {
      Path path = Path.of(source.getLocation().toURI());
      return Files.isRegularFile(path) && path.toString().endsWith(".jar")
          ? Optional.of(path)
          : Optional.empty();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
