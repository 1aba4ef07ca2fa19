package dev.tapedeck.testkit;

import dev.tapedeck.devstack.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a service's Prometheus metrics ({@code /q/metrics}) the way a scraper would. */
public final class ServiceMetrics {
  private static final HttpClient CLIENT =
      // HTTP/1.1: the JDK client's h2c upgrade attempt could hang past the request's timeout
      // against the services' Vert.x server, stalling a benchmark between runs.
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceMetrics() {}

  /** One scrape of a service's metrics, read as often as needed without asking the service again. */
  public record Scrape(String body) {
    /**
     * The sum of every series of {@code name} (whatever its labels), 0 when the service has none
     * yet.
     */
    public double value(String name) {
      Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(body);
      double sum = 0;
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      return sum;
    }
  }

  /** Scrapes {@code service} once. */
  public static Scrape scrape(ServiceProcess service) throws IOException, InterruptedException {
    return new Scrape(
        CLIENT
            .send(
                HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  /**
   * The sum of every series of {@code name} (whatever its labels), 0 when the service has none
   * yet: one scrape for one value ({@link #scrape} to read several).
   */
  public static double value(ServiceProcess service, String name) throws IOException, InterruptedException {
    return scrape(service).value(name);
  }
}
