package dev.tapedeck.converter.export.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.ChunkedExport;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.converter.export.script.NodeTools;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A full session (1,000 entries, the per-session cap) with 64 KiB JSON responses, 64 MB of bodies,
 * converted in every format in its own JVM with a small heap:
 *
 * <ul>
 *   <li>the formats that stream (HAR, OpenAPI, Postman, Insomnia, k6, node-test, collection) hold
 *       one entry and one chunk at a time: {@value #STREAMING_HEAP};
 *   <li>the mock formats (WireMock, mockd) hold every decoded body to group routes, then write one
 *       route at a time: {@value #MOCKS_HEAP}, about 1.5 times the bodies.
 * </ul>
 *
 * Finishing without OutOfMemoryError is the proof; the entries per second each run printed are
 * logged. Then a throughput figure per format, in this (warm) JVM, with 4 KiB bodies.
 */
class ConversionScaleIT {

  static final String STREAMING_HEAP = "-Xmx32m";
  static final String MOCKS_HEAP = "-Xmx96m";
  private static final int ENTRIES = 1_000;

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void convertsAFullSessionWithinTheStatedHeap(ExportFormat format) throws Exception {
    boolean mocks = format == ExportFormat.WIREMOCK || format == ExportFormat.MOCKD;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    NodeTools.Result run =
        NodeTools.run(
            List.of(
                java,
                mocks ? MOCKS_HEAP : STREAMING_HEAP,
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ScaleRun.class.getName(),
                format.id(),
                String.valueOf(ENTRIES),
                String.valueOf(64 * 1024),
                "true"),
            Map.of(),
            300);
    assertThat(run.exitCode()).as(run.output()).isZero();
    String[] result = run.output().trim().split("\\R");
    String[] fields = result[result.length - 1].split(" ");
    long millis = Long.parseLong(fields[2]);
    System.out.printf(
        Locale.ROOT,
        "scale %-12s %s: %d entries of 64 KiB in %d ms (%.0f entries/s), %d bytes written%n",
        format.id(),
        mocks ? MOCKS_HEAP : STREAMING_HEAP,
        ENTRIES,
        millis,
        ENTRIES * 1000.0 / Math.max(1, millis),
        Long.parseLong(fields[3]));
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void measuresEntriesPerSecond(ExportFormat format) {
    ConversionOptions options = ConversionOptions.defaults();
    ExportSession session = new ExportSession("s-bench", "bench", "test");
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      ChunkedExport export =
          new ChunkedExport(
              new ConversionPipeline(options).apply(ScaleRun.entries(ENTRIES, 4 * 1024)),
              out -> format.writer(out, session, options),
              format.contentType(),
              "bench",
              65_536);
      export.forEachRemaining(chunk -> {});
      best = Math.min(best, System.nanoTime() - start);
    }
    double perSecond = ENTRIES / (best / 1e9);
    System.out.printf(
        Locale.ROOT,
        "bench %-12s %6.0f entries/s (4 KiB bodies, best of 3)%n",
        format.id(),
        perSecond);
    assertThat(perSecond).isPositive();
  }
}
