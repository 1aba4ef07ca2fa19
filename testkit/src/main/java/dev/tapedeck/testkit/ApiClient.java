package dev.tapedeck.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Calls Tapedeck's REST API the way a user does: JSON bodies, an API key in {@code X-API-Key}.
 * {@link #call} checks the status and fails with the response body when it is not the expected one.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final String baseUrl;
  private final String key;
  private final Duration timeout;

  public ApiClient(String baseUrl, String key) {
    this(baseUrl, key, DEFAULT_TIMEOUT);
  }

  private ApiClient(String baseUrl, String key, Duration timeout) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.timeout = timeout;
  }

  /** The shared system's API with the admin key. */
  public static ApiClient admin(TapedeckSystem system) {
    return new ApiClient(system.controlUrl(), system.adminKey());
  }

  /** The same API with another key; null sends no {@code X-API-Key} header at all. */
  public ApiClient withKey(String otherKey) {
    return new ApiClient(baseUrl, otherKey, timeout);
  }

  /** The same API, waiting up to {@code newTimeout} for each answer (30 s by default). */
  public ApiClient withTimeout(Duration newTimeout) {
    return new ApiClient(baseUrl, key, newTimeout);
  }

  /**
   * POSTs {@code multipart/form-data}: the text {@code fields}, then (unless {@code fileName} is
   * null) a {@code file} part with {@code file} as its content, as {@code curl -F} would.
   */
  public HttpResponse<String> postMultipart(
      String path, Map<String, String> fields, String fileName, byte[] file)
      throws IOException, InterruptedException {
    String boundary = "tapedeck-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      body.writeBytes(
          ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                  + "\"\r\n\r\n" + field.getValue() + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    if (fileName != null) {
      body.writeBytes(
          ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + fileName + "\"\r\nContent-Type: application/json\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("X-API-Key", key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request; {@code body} is JSON, or null for none. */
  public HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    return send(method, path, body, "application/json");
  }

  /** As {@link #send(String, String, String)}, with a body of {@code contentType}. */
  public HttpResponse<String> send(String method, String path, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a request, requires {@code expectedStatus}, and returns the JSON answer. */
  public JsonNode call(String method, String path, String body, int expectedStatus)
      throws IOException, InterruptedException {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() != expectedStatus) {
      throw new AssertionError(
          method + " " + path + ": expected status " + expectedStatus + " but got "
              + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
  }

  /**
   * Polls a session's entry count until it is {@code total} (entries reach storage through Kafka,
   * so they show up moments after the exchange) and fails if it is not within {@code timeout}.
   */
  public void awaitEntryTotal(String sessionId, long total, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = -1;
    while (seen != total && System.nanoTime() < deadline) {
      seen = call("GET", "/api/v1/recorder/" + sessionId + "/entries?limit=1", null, 200).get("total").asLong();
      if (seen != total) {
        Thread.sleep(100);
      }
    }
    if (seen != total) {
      throw new AssertionError(
          "session " + sessionId + " holds " + seen + " entries after " + timeout + ", expected " + total);
    }
  }

  /** An answer of the API, to check its status and read its JSON. */
  public record Answer(HttpResponse<String> response) {
    /** Fails unless the status is {@code status}, naming the request and the body. */
    public Answer expect(int status) {
      if (response.statusCode() != status) {
        throw new AssertionError(
            "status of " + response.uri() + ": expected " + status + " but got " + response.statusCode() + ", body "
                + response.body());
      }
      return this;
    }

    public String body() {
      return response.body();
    }

    public JsonNode json() throws IOException {
      return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    }
  }

  /** Sends a request ({@code body} JSON, or null) and returns the answer, whatever its status. */
  public Answer answer(String method, String path, String body) throws IOException, InterruptedException {
    return new Answer(send(method, path, body));
  }

  /**
   * Polls a session's first page of entries until it holds at least {@code count} (entries reach
   * storage through Kafka, moments after the exchange) and returns it; fails after {@code timeout}.
   */
  public JsonNode awaitEntries(String sessionId, int count, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode page;
    do {
      page = call("GET", "/api/v1/recorder/" + sessionId + "/entries?offset=0&limit=100", null, 200);
      if (page.get("entries").size() >= count) {
        return page;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("Expected " + count + " entries within " + timeout + ", got " + page);
  }

  /** The values of header {@code name} (any case) of a request or response of an entry. */
  public static java.util.List<String> headerValues(JsonNode message, String name) {
    java.util.List<String> values = new java.util.ArrayList<>();
    for (JsonNode h : message.get("headers")) {
      if (h.get("name").asText().equalsIgnoreCase(name)) {
        values.add(h.get("value").asText());
      }
    }
    return values;
  }
}
