package dev.tapedeck.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.io.file.PathUtils;

/**
 * The chart under test, rendered and linted by the Helm library that helm-java bundles (no helm
 * binary, no cluster, no network).
 *
 * <p>Helm refuses to render a chart whose declared dependencies are missing from {@code charts/},
 * even disabled ones, and fetching the Bitnami charts needs the network. So the chart is staged
 * under {@code target/} with an empty stand-in chart for each dependency: the chart's own templates
 * are the ones in {@code helm/tapedeck}, unchanged, and the stand-ins render nothing.
 */
final class Chart {
  static final String RELEASE = "tapedeck";
  static final String NAMESPACE = "tapedeck";
  /** Client-side rendering reports this Kubernetes version (the chart documents 1.25 or newer). */
  static final String KUBE_VERSION = "1.31.0";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final AtomicInteger VALUES_FILES = new AtomicInteger();
  private static Chart staged;

  private final Path source;
  private final Path dir;

  private Chart(Path source, Path dir) {
    this.source = source;
    this.dir = dir;
  }

  /** The chart staged once per test run. */
  static synchronized Chart staged() {
    if (staged == null) {
      Path source = repoRoot().resolve("helm/tapedeck");
      staged = new Chart(source, stage(source, Path.of("target", "chart")));
    }
    return staged;
  }

  /** The repository's root: the closest folder up from here that holds helm/tapedeck. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("helm/tapedeck"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("No helm/tapedeck above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** The chart's source folder, {@code helm/tapedeck}. */
  Path source() {
    return source;
  }

  /** The staged copy Helm works on. */
  Path dir() {
    return dir;
  }

  /** {@code helm template} with the default values and {@code valuesYaml} on top (may be empty). */
  String render(String valuesYaml) {
    TemplateCommand template =
        new Helm(dir).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
    if (!valuesYaml.isBlank()) {
      template = template.withValuesFile(writeValues(valuesYaml));
    }
    return template.call();
  }

  /** {@code helm lint --strict} of the staged chart. */
  LintResult lint() {
    return new Helm(dir).lint().strict().call();
  }

  /**
   * The NOTES.txt Helm prints after an install ({@code helm template} leaves it out), from a
   * client-only dry-run install: no cluster is contacted.
   */
  String notes(String valuesYaml) {
    InstallCommand install =
        new Helm(dir)
            .install()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION)
            .dryRun()
            .withDryRunOption(DryRun.CLIENT)
            .clientOnly();
    if (!valuesYaml.isBlank()) {
      install = install.withValuesFile(writeValues(valuesYaml));
    }
    String output = install.call().getOutput();
    int notes = output.indexOf("NOTES:");
    if (notes < 0) {
      throw new AssertionError("No NOTES in the install output:\n" + output);
    }
    return output.substring(notes + "NOTES:".length());
  }

  /**
   * A second staged copy whose values.yaml is the chart's with {@code overlayYaml} merged over it,
   * so that {@code helm lint} (which takes no values of its own here) checks an option.
   */
  Chart withValuesOverlay(String name, String overlayYaml) {
    try {
      JsonNode values = YAML.readTree(source.resolve("values.yaml").toFile());
      if (!overlayYaml.isBlank()) {
        merge((ObjectNode) values, (ObjectNode) YAML.readTree(overlayYaml));
      }
      return withDefaultValues(name, YAML.writeValueAsString(values));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void merge(ObjectNode into, ObjectNode overlay) {
    overlay
        .properties()
        .forEach(
            entry -> {
              JsonNode existing = into.get(entry.getKey());
              if (existing instanceof ObjectNode target && entry.getValue() instanceof ObjectNode more) {
                merge(target, more);
              } else {
                into.set(entry.getKey(), entry.getValue());
              }
            });
  }

  /** A second staged copy whose values.yaml is {@code valuesYaml}, for lint tests of bad values. */
  Chart withDefaultValues(String name, String valuesYaml) {
    Path copy = stage(source, Path.of("target", "chart-" + name));
    try {
      Files.writeString(copy.resolve("values.yaml"), valuesYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Chart(source, copy);
  }

  private static Path writeValues(String valuesYaml) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "values"));
      Path file = dir.resolve("values-" + VALUES_FILES.incrementAndGet() + ".yaml");
      Files.writeString(file, valuesYaml);
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies the chart to {@code target/<name>/tapedeck} and adds a stand-in for each dependency. */
  private static Path stage(Path source, Path into) {
    try {
      Path dir = into.toAbsolutePath().resolve("tapedeck");
      deleteTree(into.toAbsolutePath());
      copyTree(source, dir);
      JsonNode chartYaml = YAML.readTree(source.resolve("Chart.yaml").toFile());
      for (JsonNode dependency : chartYaml.path("dependencies")) {
        String name = dependency.path("name").asText();
        String version = dependency.path("version").asText().replace("x", "0");
        Path stub = Files.createDirectories(dir.resolve("charts").resolve(name));
        Files.writeString(
            stub.resolve("Chart.yaml"),
            "apiVersion: v2\nname: " + name + "\nversion: " + version
                + "\ndescription: Stand-in for the real dependency; renders nothing.\n");
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (d.equals(from.resolve("charts"))) {
              return FileVisitResult.SKIP_SUBTREE; // fetched dependencies: replaced by stand-ins
            }
            Files.createDirectories(to.resolve(from.relativize(d).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      PathUtils.deleteDirectory(root);
    }
  }
}
