package dev.tapedeck.converter.export.convert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.re2j.Pattern;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import dev.tapedeck.content.ContentType;
import dev.tapedeck.content.ReadableBody;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces secrets with {@value #MARKER} before an entry reaches any writer, so that no output
 * format can leak them:
 *
 * <ol>
 *   <li>{@code Authorization} and {@code Proxy-Authorization} keep their scheme ({@code Bearer
 *       REDACTED});
 *   <li>{@code Cookie} and {@code Set-Cookie} keep cookie names and attributes, not values;
 *   <li>API-key-like headers ({@code X-API-Key}, {@code Api-Key}, {@code X-Auth-Token}, any name
 *       with {@code api-key}, {@code token}, {@code secret} or {@code password});
 *   <li>secret-looking query parameters ({@code api_key}, {@code apikey}, {@code token}, {@code
 *       access_token}, ...) in the URL and in form bodies;
 *   <li>the configured JSON paths in JSON request and response bodies (a redacted body is stored
 *       decoded, without its Content-Encoding).
 * </ol>
 *
 * <p>The name patterns are RE2/J: they run over recorded (so outside-supplied) header and parameter
 * names, and RE2 takes time linear in the name where {@code .*(token).*} would backtrack.
 */
public final class Redactor {

  /** What a secret is replaced with. */
  public static final String MARKER = "REDACTED";

  private static final Set<String> AUTHORIZATION = Set.of("authorization", "proxy-authorization");
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i)(x-)?(api[-_]?key|auth[-_]?token|access[-_]?token|csrf[-_]?token|xsrf[-_]?token)"
              + "|.*(api[-_]?key|token|secret|password).*");
  private static final Pattern SECRET_PARAM =
      Pattern.compile(
          "(?i)api[-_]?key|key|token|access[-_]?token|refresh[-_]?token|id[-_]?token|auth"
              + "|password|passwd|secret|client[-_]?secret|sig|signature|session[-_]?id");
  // Numbers are read exactly, so redacting one field does not round another.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  private static final Configuration JSON_PATHS =
      Configuration.builder()
          .jsonProvider(new JacksonJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private final List<JsonPath> jsonPaths;

  public Redactor(List<JsonPath> jsonPaths) {
    this.jsonPaths = jsonPaths;
  }

  /** The entry with its secrets replaced. */
  public StoredEntry redact(StoredEntry entry) {
    CapturedExchange.Builder exchange = entry.getExchange().toBuilder();
    if (exchange.hasRequest()) {
      exchange.setRequest(redact(exchange.getRequest()));
    }
    if (exchange.hasOriginalRequest()) {
      exchange.setOriginalRequest(redact(exchange.getOriginalRequest()));
    }
    if (exchange.hasResponse()) {
      CapturedResponse response = exchange.getResponse();
      CapturedResponse.Builder redacted = response.toBuilder().clearHeaders();
      response.getHeadersList().forEach(h -> redacted.addHeaders(redact(h)));
      if (response.hasBody()) {
        redacted.setBody(redactJson(response.getBody()));
      }
      exchange.setResponse(redacted);
    }
    return entry.toBuilder().setExchange(exchange).build();
  }

  private CapturedRequest redact(CapturedRequest request) {
    CapturedRequest.Builder redacted =
        request.toBuilder().clearHeaders().setUrl(redactUrl(request.getUrl()));
    request.getHeadersList().forEach(h -> redacted.addHeaders(redact(h)));
    if (request.hasBody()) {
      redacted.setBody(redactForm(redactJson(request.getBody())));
    }
    return redacted.build();
  }

  /** The header with its value redacted if it is a secret. */
  static Header redact(Header header) {
    String name = header.getName().toLowerCase(Locale.ROOT);
    String value = header.getValue();
    String redacted;
    if (AUTHORIZATION.contains(name)) {
      int space = value.trim().indexOf(' ');
      redacted = space < 0 ? MARKER : value.trim().substring(0, space) + " " + MARKER;
    } else if (name.equals("cookie")) {
      redacted = redactCookies(value, ";");
    } else if (name.equals("set-cookie")) {
      int semicolon = value.indexOf(';');
      redacted =
          redactCookies(semicolon < 0 ? value : value.substring(0, semicolon), ";")
              + (semicolon < 0 ? "" : value.substring(semicolon));
    } else if (SECRET_HEADER.matcher(name).matches()) {
      redacted = MARKER;
    } else {
      return header;
    }
    return header.toBuilder().setValue(redacted).build();
  }

  private static String redactCookies(String cookies, String separator) {
    StringBuilder out = new StringBuilder();
    for (String cookie : cookies.split(separator, -1)) {
      if (!out.isEmpty()) {
        out.append(separator);
      }
      int equals = cookie.indexOf('=');
      out.append(equals < 0 ? cookie : cookie.substring(0, equals + 1) + MARKER);
    }
    return out.toString();
  }

  /** Whether a header (lower-case name) carries a secret that redaction replaces. */
  public static boolean isSecretHeader(String name) {
    return AUTHORIZATION.contains(name)
        || name.equals("cookie")
        || name.equals("set-cookie")
        || SECRET_HEADER.matcher(name).matches();
  }

  /** The URL with the values of secret query parameters redacted. */
  static String redactUrl(String url) {
    int question = url.indexOf('?');
    if (question < 0) {
      return url;
    }
    int hash = url.indexOf('#', question);
    String query = hash < 0 ? url.substring(question + 1) : url.substring(question + 1, hash);
    String fragment = hash < 0 ? "" : url.substring(hash);
    return url.substring(0, question + 1) + redactQuery(query) + fragment;
  }

  private static String redactQuery(String query) {
    StringBuilder out = new StringBuilder();
    for (String pair : query.split("&", -1)) {
      if (!out.isEmpty()) {
        out.append('&');
      }
      int equals = pair.indexOf('=');
      String name =
          RequestUrl.parseQuery(equals < 0 ? pair : pair.substring(0, equals)).stream()
              .findFirst()
              .map(RequestUrl.QueryParam::name)
              .orElse("");
      boolean secret = equals >= 0 && SECRET_PARAM.matcher(name).matches();
      out.append(secret ? pair.substring(0, equals + 1) + MARKER : pair);
    }
    return out.toString();
  }

  private static Body redactForm(Body body) {
    ContentType type = ContentType.parse(body.getContentType());
    if (!type.essence().equals("application/x-www-form-urlencoded")) {
      return body;
    }
    ReadableBody read = read(body, type);
    if (read.bytes().isEmpty()) {
      return body;
    }
    Charset charset = type.charset();
    String form = new String(read.bytes().get(), charset);
    String redacted = redactQuery(form);
    return redacted.equals(form) ? body : replaced(body, redacted.getBytes(charset));
  }

  private Body redactJson(Body body) {
    if (jsonPaths.isEmpty() || body.getData().isEmpty()) {
      return body;
    }
    ContentType type = ContentType.parse(body.getContentType());
    if (type.isDeclared() && !type.isJson()) {
      return body;
    }
    ReadableBody read = read(body, type);
    Object tree;
    try {
      tree = JSON.readValue(read.decoded().bytes(), Object.class);
    } catch (IOException e) {
      return body; // not JSON (or cut by truncation): nothing the paths can address
    }
    if (!(tree instanceof Map<?, ?>) && !(tree instanceof List<?>)) {
      return body;
    }
    DocumentContext document = JsonPath.using(JSON_PATHS).parse(tree);
    for (JsonPath path : jsonPaths) {
      document.set(path, MARKER);
    }
    try {
      return replaced(body, JSON.writeValueAsBytes(document.json()));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree failed to serialize", e);
    }
  }

  private static ReadableBody read(Body body, ContentType type) {
    return ReadableBody.read(
        body.getData().toByteArray(), type, body.getContentEncoding(), body.getTruncated());
  }

  private static Body replaced(Body body, byte[] data) {
    return body.toBuilder()
        .setData(ByteString.copyFrom(data))
        .setSize(data.length)
        .setContentEncoding("")
        .setTruncated(false)
        .build();
  }
}
