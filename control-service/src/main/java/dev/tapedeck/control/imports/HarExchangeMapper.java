package dev.tapedeck.control.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Direction;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.Timings;
import java.net.URI;
import dev.tapedeck.content.ContentType;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * One HAR 1.2 entry as a captured exchange: request and response with their headers in order,
 * bodies (base64 where the HAR says so), timings, and Chrome's {@code _webSocketMessages} as
 * frames. HAR bodies are already decoded, so the bodies carry no content coding. Public for the
 * tapedeck CLI's offline {@code convert}.
 */
public final class HarExchangeMapper {
  private static final Set<String> SCHEMES = Set.of("http", "https", "ws", "wss");
  private static final TimeBasedEpochGenerator IDS = Generators.timeBasedEpochGenerator();

  private HarExchangeMapper() {}

  /**
   * The exchange for {@code entry}, in {@code sessionId}, with a new entry id.
   *
   * @throws IllegalArgumentException saying what is wrong with the entry
   */
  public static CapturedExchange map(JsonNode entry, String sessionId) {
    if (!entry.isObject()) {
      throw new IllegalArgumentException("an entry must be an object");
    }
    JsonNode request = required(entry, "request");
    JsonNode response = required(entry, "response");
    String method = text(request, "method");
    if (method.isBlank() || !method.chars().allMatch(Character::isLetter)) {
      throw new IllegalArgumentException("request.method is missing or not a method: \"" + method + "\"");
    }
    String url = text(request, "url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("request.url is not a URL: \"" + url + "\"");
    }
    if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
      throw new IllegalArgumentException("request.url must be an absolute http(s) or ws(s) URL: \"" + url + "\"");
    }
    if (!response.path("status").canConvertToInt()) {
      throw new IllegalArgumentException("response.status must be a number");
    }
    Instant started = startedAt(entry);

    CapturedExchange.Builder exchange =
        CapturedExchange.newBuilder()
            .setEntryId(IDS.generate().toString())
            .setSessionId(sessionId)
            .setEntryType(EntryType.HTTP)
            .setStartedAtUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, started))
            .setServerAddress(entry.path("serverIPAddress").asText(""))
            .setRequest(request(request, method.toUpperCase(Locale.ROOT), url))
            .setResponse(response(response))
            .setTimings(timings(entry));
    JsonNode messages = entry.path("_webSocketMessages");
    if (messages.isArray() && !messages.isEmpty()) {
      exchange.setEntryType(EntryType.WEBSOCKET);
      messages.forEach(m -> exchange.addFrames(frame(m)));
    }
    return exchange.build();
  }

  private static Instant startedAt(JsonNode entry) {
    String value = text(entry, "startedDateTime");
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("startedDateTime is not an ISO 8601 date-time: \"" + value + "\"");
    }
  }

  private static CapturedRequest request(JsonNode request, String method, String url) {
    CapturedRequest.Builder built =
        CapturedRequest.newBuilder()
            .setMethod(method)
            .setUrl(url)
            .setHttpVersion(request.path("httpVersion").asText(""));
    request.path("headers").forEach(h -> built.addHeaders(header(h)));
    JsonNode post = request.path("postData");
    if (post.isObject() && post.hasNonNull("text")) {
      built.setBody(body(post.path("text").asText(), post.path("encoding").asText(""), post.path("mimeType").asText(""), -1));
    }
    return built.build();
  }

  private static CapturedResponse response(JsonNode response) {
    CapturedResponse.Builder built =
        CapturedResponse.newBuilder()
            .setStatusCode(response.path("status").asInt())
            .setStatusText(response.path("statusText").asText(""))
            .setHttpVersion(response.path("httpVersion").asText(""));
    response.path("headers").forEach(h -> built.addHeaders(header(h)));
    JsonNode content = response.path("content");
    if (content.isObject() && content.hasNonNull("text")) {
      built.setBody(
          body(
              content.path("text").asText(),
              content.path("encoding").asText(""),
              content.path("mimeType").asText(""),
              content.path("size").asLong(-1)));
    }
    return built.build();
  }

  private static Body body(String text, String encoding, String mimeType, long size) {
    byte[] bytes;
    if ("base64".equalsIgnoreCase(encoding)) {
      try {
        bytes = Base64.getMimeDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a body says it is base64 but is not");
      }
    } else {
      bytes = encoded(text, mimeType);
    }
    return Body.newBuilder()
        .setData(ByteString.copyFrom(bytes))
        .setSize(size >= 0 ? size : bytes.length)
        .setContentType(mimeType)
        .build();
  }

  /**
   * A HAR's text body as bytes in the charset its type declares (a latin-1 page decoded into the
   * HAR comes back as the same latin-1 bytes); UTF-8 when none is declared, or when the declared
   * one cannot hold every character of the text.
   */
  static byte[] encoded(String text, String mimeType) {
    Charset charset = ContentType.parse(mimeType).charset();
    CharsetEncoder encoder = charset.canEncode() ? charset.newEncoder() : null;
    if (encoder == null || charset.equals(StandardCharsets.UTF_8) || !encoder.canEncode(text)) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    return text.getBytes(charset);
  }

  private static Header header(JsonNode header) {
    return Header.newBuilder().setName(header.path("name").asText("")).setValue(header.path("value").asText("")).build();
  }

  private static Timings timings(JsonNode entry) {
    JsonNode t = entry.path("timings");
    double ssl = t.path("ssl").asDouble(-1);
    double connect = t.path("connect").asDouble(-1);
    return Timings.newBuilder()
        .setDnsMs(t.path("dns").asDouble(-1))
        // HAR's connect includes ssl; ours does not.
        .setConnectMs(connect >= 0 && ssl > 0 ? Math.max(0, connect - ssl) : connect)
        .setTlsMs(ssl)
        .setSendMs(t.path("send").asDouble(-1))
        .setWaitMs(t.path("wait").asDouble(-1))
        .setReceiveMs(t.path("receive").asDouble(-1))
        .setTotalMs(entry.path("time").asDouble(-1))
        .build();
  }

  private static Frame frame(JsonNode message) {
    byte[] data = message.path("data").asText("").getBytes(StandardCharsets.UTF_8);
    double seconds = message.path("time").asDouble(0);
    return Frame.newBuilder()
        .setTimeUnixMicros((long) (seconds * 1_000_000))
        .setDirection("send".equals(message.path("type").asText()) ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT)
        .setOpcode(message.path("opcode").asInt(1))
        .setData(ByteString.copyFrom(data))
        .setSize(data.length)
        .build();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new IllegalArgumentException(field + " is missing");
    }
    return value;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? "" : value.asText();
  }
}
