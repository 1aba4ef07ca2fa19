package dev.tapedeck.converter.export.har;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.capture.v1.Timings;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Captured exchanges of the kinds a HAR export has to handle, as the proxy would publish them. */
public final class TestExchanges {

  /** 2025-01-02T03:04:05.678901Z. */
  public static final long STARTED_AT_MICROS = 1_735_787_045_678_901L;

  private TestExchanges() {}

  public static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }

  public static Body body(byte[] data, String contentType) {
    return Body.newBuilder()
        .setData(ByteString.copyFrom(data))
        .setSize(data.length)
        .setContentType(contentType)
        .build();
  }

  public static Body text(String text, String contentType) {
    return body(text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  public static Timings timings() {
    return Timings.newBuilder()
        .setDnsMs(-1)
        .setConnectMs(3.4)
        .setTlsMs(-1)
        .setSendMs(0.2)
        .setWaitMs(20.6)
        .setReceiveMs(1.2)
        .setTotalMs(25.4)
        .build();
  }

  public static CapturedExchange.Builder exchange(String entryId) {
    return CapturedExchange.newBuilder()
        .setEntryId(entryId)
        .setSessionId("s-1")
        .setEntryType(EntryType.HTTP)
        .setStartedAtUnixMicros(STARTED_AT_MICROS)
        .setServerAddress("127.0.0.1:8080") // as the proxy records it: ip:port
        .setTimings(timings());
  }

  public static StoredEntry stored(CapturedExchange exchange, long sequence) {
    return StoredEntry.newBuilder().setExchange(exchange).setSequence(sequence).build();
  }

  /** GET with a query string (encoded characters, a repeated name) and two cookies. */
  public static CapturedExchange getWithQueryAndCookies() {
    return exchange("e-get")
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod("GET")
                .setUrl(
                    "http://api.example.test/search?q=hello%20world&tag=a&tag=b%26c&empty=&flag")
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Host", "api.example.test"))
                .addHeaders(header("Cookie", "session=abc123; theme=dark"))
                .addHeaders(header("Accept", "application/json"))
                .addHeaders(header("accept", "text/plain")))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(200)
                .setStatusText("OK")
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Content-Type", "application/json"))
                .addHeaders(
                    header(
                        "Set-Cookie",
                        "session=def456; Path=/; Domain=example.test; Expires=Wed, 21 Oct 2026"
                            + " 07:28:00 GMT; HttpOnly; Secure; SameSite=Lax"))
                .addHeaders(header("Set-Cookie", "theme=light"))
                .setBody(text("{\"results\":[]}", "application/json")))
        .build();
  }

  /** POST of a JSON body, answered 201 with a Location. */
  public static CapturedExchange postJson() {
    return exchange("e-post")
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod("POST")
                .setUrl("https://api.example.test/items")
                .setHttpVersion("HTTP/2")
                .addHeaders(header("content-type", "application/json; charset=utf-8"))
                .setBody(text("{\"name\":\"Grüße\"}", "application/json; charset=utf-8")))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(201)
                .setHttpVersion("HTTP/2")
                .addHeaders(header("location", "/items/42")))
        .build();
  }

  /** A gzip'd HTML response. */
  public static CapturedExchange gzipText(String html) {
    byte[] gzipped = gzip(html.getBytes(StandardCharsets.UTF_8));
    return exchange("e-gzip")
        .setRequest(getRequest("http://www.example.test/"))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(200)
                .setStatusText("OK")
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Content-Type", "text/html; charset=utf-8"))
                .addHeaders(header("Content-Encoding", "gzip"))
                .setBody(
                    body(gzipped, "text/html; charset=utf-8").toBuilder()
                        .setContentEncoding("gzip")))
        .build();
  }

  /** A PNG image. */
  public static CapturedExchange binaryImage(byte[] png) {
    return exchange("e-image")
        .setRequest(getRequest("http://www.example.test/logo.png"))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(200)
                .setStatusText("OK")
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Content-Type", "image/png"))
                .setBody(body(png, "image/png")))
        .build();
  }

  /** A text response of {@code size} bytes of which only the first {@code captured} were kept. */
  public static CapturedExchange truncatedText(String captured, long size) {
    return exchange("e-truncated")
        .setRequest(getRequest("http://www.example.test/big.txt"))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(200)
                .setStatusText("OK")
                .setHttpVersion("HTTP/1.1")
                .addHeaders(header("Content-Type", "text/plain"))
                .setBody(text(captured, "text/plain").toBuilder().setSize(size).setTruncated(true)))
        .build();
  }

  public static CapturedRequest getRequest(String url) {
    return CapturedRequest.newBuilder()
        .setMethod("GET")
        .setUrl(url)
        .setHttpVersion("HTTP/1.1")
        .addHeaders(header("Host", "www.example.test"))
        .build();
  }

  public static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
