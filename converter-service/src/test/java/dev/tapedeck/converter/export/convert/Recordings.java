package dev.tapedeck.converter.export.convert;

import static dev.tapedeck.converter.export.har.TestExchanges.header;
import static dev.tapedeck.converter.export.har.TestExchanges.text;

import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded session of a small JSON API, as the proxy would publish it: ids in paths, query
 * strings, a JSON POST, a secret header, a repeated request answered differently over time, a
 * gzip'd body and an image.
 */
public final class Recordings {

  /** The origin every request was recorded against. */
  public static final String ORIGIN = "http://api.example.test";

  private final List<StoredEntry> entries = new ArrayList<>();
  private long startedAt = TestExchanges.STARTED_AT_MICROS;

  /** The session the tests convert. */
  public static List<StoredEntry> shop() {
    Recordings r = new Recordings();
    r.add(
        "GET",
        "/users/42",
        List.of(header("Accept", "application/json")),
        "",
        200,
        "{\"id\":42,\"name\":\"Ada\",\"roles\":[\"admin\"]}");
    r.add(
        "GET",
        "/users/43",
        List.of(header("Accept", "application/json")),
        "",
        200,
        "{\"id\":43,\"name\":\"Bob\",\"roles\":[]}");
    r.add(
        "GET",
        "/items?page=1&tag=a&tag=b",
        List.of(),
        "",
        200,
        "{\"items\":[{\"sku\":\"A\",\"price\":9.5}],\"page\":1}");
    r.add("GET", "/items", List.of(), "", 200, "{\"items\":[],\"page\":0}");
    r.add(
        "POST",
        "/orders",
        List.of(
            header("Content-Type", "application/json"),
            header("Authorization", "Bearer s3cr3t-token")),
        "{\"sku\":\"A\",\"qty\":1}",
        201,
        "{\"orderId\":\"7f3c2a\",\"status\":\"NEW\"}");
    r.add(
        "POST",
        "/orders",
        List.of(
            header("Content-Type", "application/json"),
            header("Authorization", "Bearer s3cr3t-token")),
        "{\"sku\":\"B\",\"qty\":2}",
        201,
        "{\"orderId\":\"9a1b4c\",\"status\":\"NEW\"}");
    r.add(
        "GET",
        "/jobs/5f0c6e1a-51b4-4a53-8a0c-2d4f6b1e9f00",
        List.of(),
        "",
        200,
        "{\"state\":\"running\"}");
    r.add(
        "GET",
        "/jobs/5f0c6e1a-51b4-4a53-8a0c-2d4f6b1e9f00",
        List.of(),
        "",
        200,
        "{\"state\":\"running\"}");
    r.add(
        "GET",
        "/jobs/5f0c6e1a-51b4-4a53-8a0c-2d4f6b1e9f00",
        List.of(),
        "",
        200,
        "{\"state\":\"done\"}");
    r.add("DELETE", "/users/43", List.of(), "", 204, "");
    r.add("GET", "/missing?api_key=k-123", List.of(), "", 404, "{\"error\":\"not found\"}");
    return List.copyOf(r.entries);
  }

  /** Records one JSON exchange. */
  public void add(
      String method,
      String pathAndQuery,
      List<Header> headers,
      String body,
      int status,
      String responseJson) {
    CapturedRequest.Builder request =
        CapturedRequest.newBuilder()
            .setMethod(method)
            .setUrl(ORIGIN + pathAndQuery)
            .setHttpVersion("HTTP/1.1")
            .addHeaders(header("Host", "api.example.test"))
            .addAllHeaders(headers);
    if (!body.isEmpty()) {
      request.setBody(text(body, "application/json"));
    }
    CapturedResponse.Builder response =
        CapturedResponse.newBuilder()
            .setStatusCode(status)
            .setHttpVersion("HTTP/1.1")
            .addHeaders(header("Date", "Thu, 02 Jan 2025 03:04:05 GMT"));
    if (!responseJson.isEmpty()) {
      response
          .addHeaders(header("Content-Type", "application/json"))
          .setBody(text(responseJson, "application/json"));
    }
    add(request.build(), response.build());
  }

  /** Records one exchange as given. */
  public void add(CapturedRequest request, CapturedResponse response) {
    int n = entries.size() + 1;
    CapturedExchange exchange =
        TestExchanges.exchange("e-" + n)
            .setStartedAtUnixMicros(startedAt)
            .setRequest(request)
            .setResponse(response)
            .build();
    startedAt += 250_000; // a quarter of a second between requests
    entries.add(TestExchanges.stored(exchange, n));
  }

  /** The entries recorded so far. */
  public List<StoredEntry> entries() {
    return List.copyOf(entries);
  }
}
