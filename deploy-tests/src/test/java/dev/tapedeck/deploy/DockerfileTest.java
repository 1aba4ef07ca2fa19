package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images the chart runs: no container engine is needed to check that each Dockerfile packs the
 * Quarkus fast-jar, runs as the user the chart's pods run as, and exposes the service's port.
 */
class DockerfileTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"control", "proxy", "storage", "converter"})
  void imageRunsTheFastJarAsTheChartsNonRootUser(String component) throws IOException {
    Path module = Chart.repoRoot().resolve(component + "-service");
    List<String> lines = Files.readAllLines(module.resolve("src/main/docker/Dockerfile.jvm")).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();

    assertThat(lines.getFirst()).matches("FROM (eclipse-temurin:21-jre|registry\\.access\\.redhat\\.com/ubi9/openjdk-21-runtime.*)");
    assertThat(lines)
        .contains(
            "COPY target/quarkus-app/lib/ /deployments/lib/",
            "COPY target/quarkus-app/*.jar /deployments/",
            "COPY target/quarkus-app/app/ /deployments/app/",
            "COPY target/quarkus-app/quarkus/ /deployments/quarkus/");
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).isEqualTo("USER " + chartRunAsUser());
    assertThat(lines.stream().filter(l -> l.startsWith("EXPOSE ")).findFirst().orElseThrow())
        .contains(String.valueOf(httpPort(module)));
    assertThat(lines.getLast()).startsWith("ENTRYPOINT [\"java\"").endsWith("\"-jar\", \"/deployments/quarkus-run.jar\"]");
  }

  @Test
  void theProxysImageLetsNettySkipZeroingBuffersAsTheDevStackDoes() throws IOException {
    String entrypoint = proxyEntrypoint();
    // The same list as devstack's Service.UNZEROED_NETTY_BUFFERS (this module does not depend on it).
    assertThat(entrypoint)
        .contains(
            "\"-Dio.netty.tryReflectionSetAccessible=true\"",
            "\"--add-opens=java.base/java.nio=ALL-UNNAMED\"",
            "\"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED\"");
  }

  @Test
  void theProxysHeapLeavesRoomInItsPodForWhatItHoldsOutsideTheHeap() throws IOException {
    String entrypoint = proxyEntrypoint();
    java.util.regex.Matcher share = java.util.regex.Pattern.compile("\"-XX:MaxRAMPercentage=([0-9.]+)\"").matcher(entrypoint);
    assertThat(share.find()).as("the proxy's heap is a share of its memory limit").isTrue();
    io.fabric8.kubernetes.api.model.Quantity limit =
        RenderCase.DEFAULTS.render().podSpec("proxy").getContainers().getFirst().getResources().getLimits().get("memory");
    long limitBytes = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(limit).longValue();
    long heapBytes = (long) (limitBytes * Double.parseDouble(share.group(1)) / 100);
    // Under load the proxy touches its whole heap and holds about 210 MiB outside it; the rest is
    // room for Netty's direct-buffer pool to grow before the pod is killed for its memory.
    assertThat(limitBytes - heapBytes).as("memory outside the heap in the chart's proxy pod").isGreaterThanOrEqualTo(384L << 20);
  }

  private static String proxyEntrypoint() throws IOException {
    return Files.readAllLines(Chart.repoRoot().resolve("proxy-service/src/main/docker/Dockerfile.jvm")).stream()
        .filter(l -> l.startsWith("ENTRYPOINT "))
        .findFirst()
        .orElseThrow();
  }

  private static int chartRunAsUser() {
    String values = RenderCase.DEFAULTS.render().podSpec("control").getSecurityContext().getRunAsUser().toString();
    return Integer.parseInt(values);
  }

  private static int httpPort(Path module) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(module.resolve("src/main/resources/application.properties"))) {
      properties.load(reader);
    }
    return Integer.parseInt(properties.getProperty("quarkus.http.port"));
  }
}
