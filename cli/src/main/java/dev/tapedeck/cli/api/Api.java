package dev.tapedeck.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Tapedeck's REST API as the CLI calls it: JSON in and out, the key in {@code X-API-Key}, and every
 * answer that is not 2xx turned into an {@link ApiException} carrying the API's {@code message}.
 * The client never goes through a proxy, whatever the environment says: the CLI talks to control
 * directly even inside {@code tapedeck run}.
 */
public final class Api {
  /** The mapper every command reads and writes JSON with. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

  private final String baseUrl;
  private final Optional<String> key;
  private final HttpClient http;

  public Api(String baseUrl, Optional<String> key) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** The API's base URL ({@code http://localhost:5770}). */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code GET path}, its JSON. */
  public JsonNode get(String path) {
    return json(send(request(path).GET(), false));
  }

  /** {@code POST path} with a JSON body (none when null), its JSON. */
  public JsonNode post(String path, JsonNode body) {
    return json(send(withBody(request(path), "POST", body), false));
  }

  /** {@code PUT path} with a JSON body, its JSON. */
  public JsonNode put(String path, JsonNode body) {
    return json(send(withBody(request(path), "PUT", body), false));
  }

  /** {@code DELETE path}, its JSON. */
  public JsonNode delete(String path) {
    return json(send(request(path).DELETE(), false));
  }

  /**
   * Sends {@code method path} (a JSON body, or none when null) and streams a successful answer's
   * body into {@code target}.
   *
   * @return the bytes written
   */
  public long download(String method, String path, JsonNode body, Path target) {
    HttpResponse<InputStream> response = send(withBody(request(path).setHeader("Accept", "*/*"), method, body), true);
    try (InputStream in = response.body()) {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Sends {@code method path} and returns the successful answer's body as text. */
  public String text(String method, String path, JsonNode body) {
    HttpResponse<InputStream> response = send(withBody(request(path).setHeader("Accept", "*/*"), method, body), true);
    try (InputStream in = response.body()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * {@code POST path} as {@code multipart/form-data}: the text fields, then {@code file} as the part
   * named {@code file}, as {@code curl -F} sends it.
   */
  public JsonNode postMultipart(String path, Map<String, String> fields, Path file) {
    String boundary = "tapedeck-" + UUID.randomUUID();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      head.writeBytes(
          ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                  + "\"\r\n\r\n" + field.getValue() + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String fileName = file.getFileName().toString().replace("\"", "_");
    head.writeBytes(
        ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + fileName + "\"\r\nContent-Type: application/json\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    HttpRequest.BodyPublisher body;
    try {
      body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofByteArray(head.toByteArray()),
              HttpRequest.BodyPublishers.ofFile(file),
              HttpRequest.BodyPublishers.ofByteArray(tail));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return json(
        send(
            request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(body),
            false));
  }

  /**
   * The lines of a streaming answer ({@code text/event-stream}), as they arrive; close the stream to
   * hang up.
   */
  public Stream<String> lines(String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Accept", "text/event-stream")
            .headers(authHeader())
            .GET()
            .build();
    try {
      HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() / 100 != 2) {
        String body;
        try (Stream<String> lines = response.body()) {
          body = String.join("\n", lines.limit(50).toList());
        }
        throw failure(response.statusCode(), body);
      }
      return response.body();
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", "interrupted");
    }
  }

  /** {@code value} encoded for a query string or a path segment. */
  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(CALL_TIMEOUT)
        .setHeader("Accept", "application/json")
        .headers(authHeader());
  }

  private String[] authHeader() {
    return key.map(k -> new String[] {"X-API-Key", k}).orElse(new String[] {"User-Agent", "tapedeck-cli"});
  }

  private static HttpRequest.Builder withBody(HttpRequest.Builder request, String method, JsonNode body) {
    if (body == null) {
      return request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      return request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<InputStream> send(HttpRequest.Builder request, boolean keepBody) {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted", "interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw failure(response.statusCode(), body);
    }
    return response;
  }

  private static JsonNode json(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readAllBytes();
      return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ApiException(response.statusCode(), "bad_answer", "the API's answer is not JSON: " + e.getMessage());
    }
  }

  /** The exception for an error answer: the API's message, with a hint where one helps. */
  private ApiException failure(int status, String body) {
    String error = "http_" + status;
    String message = null;
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.isObject()) {
        error = json.path("error").asText(error);
        message = json.path("message").asText(null);
      }
    } catch (IOException e) {
      // not JSON: shown as it came
    }
    if (message == null || message.isBlank()) {
      String text = body.strip();
      message = "HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 300 ? text.substring(0, 300) + "..." : text));
    }
    if (status == 401 && key.isEmpty()) {
      message += " (no API key: set TAPEDECK_API_KEY or --api-key; the admin key is in the data folder's admin-api-key)";
    } else if (status == 404 && "http_404".equals(error)) {
      message += " (this server may not have this endpoint yet)";
    }
    return new ApiException(status, error, message);
  }

  private ApiException unreachable(IOException e) {
    String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
        ? "connection refused or timed out"
        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return new ApiException(
        0, "unreachable", "cannot reach Tapedeck at " + baseUrl + " (" + why + "); is it running? Set --url or TAPEDECK_URL");
  }
}
