package dev.tapedeck.converter.export.scale;

import static dev.tapedeck.converter.export.har.TestExchanges.header;
import static dev.tapedeck.converter.export.har.TestExchanges.text;

import dev.tapedeck.converter.export.ChunkedExport;
import dev.tapedeck.converter.export.ExportFormat;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Converts a generated session in one format, the way the endpoint does (pipeline, writer, chunks
 * of 64 KiB that are dropped once taken), and prints {@code format entries millis bytes}. Run in
 * its own JVM by {@link ConversionScaleIT} with a small {@code -Xmx}: finishing at all is the proof
 * of the heap bound.
 *
 * <p>Arguments: format, number of entries, response body size in bytes, smart match (true/false).
 */
public final class ScaleRun {

  private ScaleRun() {}

  public static void main(String[] args) {
    ExportFormat format = ExportFormat.named(args[0]).orElseThrow();
    int count = Integer.parseInt(args[1]);
    int bodyBytes = Integer.parseInt(args[2]);
    boolean smart = Boolean.parseBoolean(args[3]);
    ConversionOptions options =
        ConversionOptions.parse(
            dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder()
                .setSmartMatch(smart)
                .setDuplicates("all")
                .addRedactJsonPaths("$.password")
                .build(),
            null);
    ExportSession session = new ExportSession("s-scale", "scale", "test");
    long start = System.nanoTime();
    ChunkedExport export =
        new ChunkedExport(
            new ConversionPipeline(options).apply(entries(count, bodyBytes)),
            out -> format.writer(out, session, options),
            format.contentType(),
            session.fileName(format.extension()),
            65_536);
    long bytes = 0;
    while (export.hasNext()) {
      ExportChunk chunk = export.next();
      bytes += chunk.getData().size();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(Locale.ROOT, "%s %d %d %d%n", format.id(), count, millis, bytes);
  }

  /** {@code count} entries made one at a time, like storage's stream: a few routes, many ids. */
  static Iterator<StoredEntry> entries(int count, int bodyBytes) {
    return new Iterator<>() {
      private int n;

      @Override
      public boolean hasNext() {
        return n < count;
      }

      @Override
      public StoredEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        n++;
        return TestExchanges.stored(exchange(n, bodyBytes), n);
      }
    };
  }

  private static CapturedExchange exchange(int n, int bodyBytes) {
    String route =
        switch (n % 4) {
          case 0 -> "/users/" + n;
          case 1 -> "/items?page=" + (n % 10);
          case 2 -> "/orders";
          default -> "/jobs/" + String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", n, n);
        };
    CapturedRequest.Builder request =
        CapturedRequest.newBuilder()
            .setMethod(n % 4 == 2 ? "POST" : "GET")
            .setUrl("http://api.example.test" + route)
            .setHttpVersion("HTTP/1.1")
            .addHeaders(header("Host", "api.example.test"))
            .addHeaders(header("Authorization", "Bearer token-" + n));
    if (n % 4 == 2) {
      request.setBody(
          text(
              "{\"sku\":\"S" + n + "\",\"qty\":" + n + ",\"password\":\"p\"}", "application/json"));
    }
    StringBuilder body = new StringBuilder("{\"id\":").append(n).append(",\"items\":[");
    int i = 0;
    while (body.length() < bodyBytes - 40) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"n\":")
          .append(i)
          .append(",\"name\":\"item ")
          .append(n)
          .append('-')
          .append(i++)
          .append("\"}");
    }
    body.append("]}");
    return TestExchanges.exchange("e-" + n)
        .setStartedAtUnixMicros(TestExchanges.STARTED_AT_MICROS + n * 100_000L)
        .setRequest(request)
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(n % 4 == 2 ? 201 : 200)
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Content-Type", "application/json"))
                .setBody(text(body.toString(), "application/json")))
        .build();
  }
}
