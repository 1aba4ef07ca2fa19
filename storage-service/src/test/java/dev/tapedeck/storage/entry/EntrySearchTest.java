package dev.tapedeck.storage.entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Search over the entries collection of a real MongoDB-wire server. */
class EntrySearchTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path dir;
  private MongoWireServer server;
  private EntryRepository repository;

  @BeforeEach
  void startServer() {
    server = new MongoWireServer(dir);
    repository = new EntryRepository(server.database("tapedeck"));
    repository.ensureIndexes();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void findsTextInTheUrlHeadersAndDecodedBodies() {
    store(entry("s1", "url", 0, "GET", "http://shop.example.com/orders/ABC-123", 200));
    store(
        entry("s1", "header", 1, "GET", "http://shop.example.com/a", 200).toBuilder()
            .setRequest(
                entry("s1", "header", 1, "GET", "http://shop.example.com/a", 200).getRequest().toBuilder()
                    .addHeaders(Header.newBuilder().setName("X-Trace-Id").setValue("Trace-42")))
            .build());
    byte[] gzipped = ContentCodings.encode("{\"customer\":\"Ada Lovelace\"}".getBytes(StandardCharsets.UTF_8), "gzip");
    CapturedExchange gzipBody = entry("s1", "body", 2, "POST", "http://shop.example.com/b", 201);
    store(
        gzipBody.toBuilder()
            .setResponse(
                gzipBody.getResponse().toBuilder()
                    .setBody(
                        Body.newBuilder()
                            .setData(ByteString.copyFrom(gzipped))
                            .setSize(gzipped.length)
                            .setContentEncoding("gzip")
                            .setContentType("application/json")))
            .build());
    store(entry("s2", "other-session", 3, "GET", "http://shop.example.com/orders/ABC-123", 200));

    assertThat(ids(search("abc-123"))).containsExactly("url");
    assertThat(ids(search("trace-42"))).containsExactly("header");
    assertThat(ids(search("ADA LOVELACE"))).as("gzip body, any case").containsExactly("body");
    assertThat(ids(search("a.b"))).as("the text is literal, not a pattern").isEmpty();
    assertThat(search("")).extracting(EntryRepository.SearchPage::total).isEqualTo(3L);
  }

  @Test
  void aBodyTheProxyPackedIsSearchedAndReadAsCaptured() {
    StringBuilder json = new StringBuilder("{\"customer\":\"Grace Hopper\",\"items\":[");
    while (json.length() < 20_000) {
      json.append("{\"sku\":\"A-").append(json.length() % 97).append("\"},");
    }
    byte[] plain = json.append("{}]}").toString().getBytes(StandardCharsets.UTF_8);
    byte[] packed = new byte[BodyPacking.maxPackedLength(plain.length)];
    int packedLength = BodyPacking.pack(plain, 0, plain.length, packed);
    store(
        withResponseBody(
            entry("s1", "packed", 0, "POST", "http://shop.example.com/orders", 201),
            Body.newBuilder()
                .setData(ByteString.copyFrom(packed, 0, packedLength))
                .setPacking(BodyPacking.SNAPPY)
                .setSize(plain.length)
                .setContentType("application/json")
                .build()));

    assertThat(ids(search("grace hopper"))).as("the search text reads the unpacked body").containsExactly("packed");
    Body read = repository.read(search("grace hopper").documents().get(0)).getExchange().getResponse().getBody();
    assertThat(read.getPacking()).isEmpty();
    assertThat(read.getData().toByteArray()).isEqualTo(plain);
  }

  @Test
  void filtersCombineAndPagesComeNewestFirst() {
    store(entry("s1", "e0", 0, "GET", "http://api.example.com/x", 200));
    store(entry("s1", "e1", 1, "POST", "http://api.example.com/x", 404));
    store(entry("s1", "e2", 2, "GET", "http://cdn.example.org/x", 503));
    store(entry("s1", "e3", 3, "GET", "http://api.example.com/y", 204));
    store(
        entry("s1", "ws", 4, "GET", "http://api.example.com/socket", 101).toBuilder()
            .setEntryType(EntryType.WEBSOCKET)
            .build());

    assertThat(ids(query("", List.of("GET"), 0, 0, "", List.of(), null, null, 0, 10)))
        .containsExactly("ws", "e3", "e2", "e0");
    assertThat(ids(query("", List.of(), 400, 499, "", List.of(), null, null, 0, 10))).containsExactly("e1");
    assertThat(ids(query("", List.of(), 200, 299, "*.example.com", List.of(), null, null, 0, 10)))
        .containsExactly("e3", "e0");
    assertThat(ids(query("", List.of(), 0, 0, "CDN.example.org", List.of(), null, null, 0, 10))).containsExactly("e2");
    assertThat(ids(query("", List.of(), 0, 0, "", List.of("WEBSOCKET"), null, null, 0, 10))).containsExactly("ws");
    assertThat(ids(query("", List.of(), 0, 0, "", List.of(), T0.plusSeconds(1), T0.plusSeconds(3), 0, 10)))
        .containsExactly("e2", "e1");

    EntryRepository.SearchPage second = query("", List.of(), 0, 0, "", List.of(), null, null, 2, 2);
    assertThat(ids(second)).containsExactly("e2", "e1");
    assertThat(second.total()).isEqualTo(5);
  }

  @Test
  void hostGlobsReachTheDatabaseAnchoredLiteralAndBounded() {
    String longHost = "a.".repeat(120) + "example.com";
    store(entry("s1", "long", 0, "GET", "http://" + longHost + "/x", 200));
    store(entry("s1", "dotted", 1, "GET", "http://cdn.example.org/x", 200));
    store(entry("s1", "undotted", 2, "GET", "http://cdnxexample.org/x", 200));

    long start = System.nanoTime();
    assertThat(ids(query("", List.of(), 0, 0, "*a*b", List.of(), null, null, 0, 10))).isEmpty();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    assertThat(ids(query("", List.of(), 0, 0, "cdn.example.org", List.of(), null, null, 0, 10)))
        .as("a dot is a dot")
        .containsExactly("dotted");
    assertThat(ids(query("", List.of(), 0, 0, "*.example.{org,com}", List.of(), null, null, 0, 10)))
        .containsExactly("dotted", "long");
  }

  @Test
  void hostGlobsWithMoreThanTwoStarsOrOverLongAreRefused() {
    assertThatThrownBy(() -> EntryRepository.hostPattern("*a*a*b")).hasMessageContaining("at most 2");
    assertThatThrownBy(() -> EntryRepository.hostPattern("a".repeat(254))).hasMessageContaining("at most 253");
    assertThatThrownBy(() -> EntryRepository.hostPattern("a[b")).hasMessageContaining("unclosed [");
    assertThat(EntryRepository.hostPattern("*.example.com").matcher("API.example.com").matches()).isTrue();
    assertThat(EntryRepository.hostPattern("*").matcher("a".repeat(254)).matches()).as("no host is that long").isFalse();
  }

  @Test
  void searchTextLeavesBinaryBodiesOutAndCapsEachBody() {
    CapturedExchange exchange = entry("s1", "bin", 0, "GET", "http://x.test/", 200);
    String longText = "x".repeat(SearchText.BODY_CHARS + 10) + "needle";
    CapturedExchange withBodies =
        exchange.toBuilder()
            .setRequest(
                exchange.getRequest().toBuilder()
                    .setBody(
                        Body.newBuilder()
                            .setData(ByteString.copyFromUtf8("binary-needle"))
                            .setContentType("application/octet-stream")))
            .setResponse(
                exchange.getResponse().toBuilder()
                    .setBody(
                        Body.newBuilder().setData(ByteString.copyFromUtf8(longText)).setContentType("text/plain")))
            .build();
    String text = SearchText.of(withBodies);
    assertThat(text).doesNotContain("needle");
    assertThat(text.length()).isLessThanOrEqualTo(SearchText.BODY_CHARS + 100);
  }

  @Test
  void searchTextReadsABodyInItsDeclaredCharset() {
    CapturedExchange exchange = entry("s1", "latin", 0, "GET", "http://x.test/", 200);
    CapturedExchange withBody =
        exchange.toBuilder()
            .setResponse(
                exchange.getResponse().toBuilder()
                    .setBody(
                        Body.newBuilder()
                            .setData(ByteString.copyFrom("René;Zürich".getBytes(StandardCharsets.ISO_8859_1)))
                            .setContentType("text/csv; charset=iso-8859-1")))
            .build();
    assertThat(SearchText.of(withBody)).contains("rené;zürich");
  }

  @Test
  void findsNonAsciiTextInAnyCase() {
    CapturedExchange school = entry("s1", "ecole", 0, "GET", "http://x.test/a", 200);
    store(
        school.toBuilder()
            .setRequest(
                school.getRequest().toBuilder()
                    .addHeaders(Header.newBuilder().setName("X-Place").setValue("ÉCOLE Centrale")))
            .build());
    CapturedExchange city = entry("s1", "istanbul", 1, "GET", "http://x.test/b", 200);
    store(
        city.toBuilder()
            .setResponse(
                city.getResponse().toBuilder()
                    .setBody(
                        Body.newBuilder()
                            .setData(ByteString.copyFromUtf8("{\"city\":\"İSTANBUL 😀 Party\"}"))
                            .setContentType("application/json")))
            .build());

    assertThat(ids(search("école"))).containsExactly("ecole");
    assertThat(ids(search("ÉCOLE centrale"))).containsExactly("ecole");
    assertThat(ids(search("İSTANBUL"))).containsExactly("istanbul");
    assertThat(ids(search("😀 PARTY"))).containsExactly("istanbul");
  }

  /** Stores an entry the way ingestion does: its document encoded directly, inserted as bytes. */
  private void store(CapturedExchange exchange) {
    repository.insertNew(
        List.of(repository.encoded(exchange, exchange.toByteArray(), exchange.getStartedAtUnixMicros(), T0)));
  }

  private EntryRepository.SearchPage search(String text) {
    return query(text, List.of(), 0, 0, "", List.of(), null, null, 0, 50);
  }

  private EntryRepository.SearchPage query(
      String text,
      List<String> methods,
      int statusMin,
      int statusMax,
      String host,
      List<String> types,
      Instant from,
      Instant to,
      int offset,
      int limit) {
    return repository.search(
        new SearchQuery(
            List.of("s1"), text, methods, statusMin, statusMax, host, types, from, to, offset, limit));
  }

  private static List<String> ids(EntryRepository.SearchPage page) {
    return page.documents().stream().map(d -> d.getString(EntryDocuments.ID)).toList();
  }

  private static CapturedExchange withResponseBody(CapturedExchange exchange, Body body) {
    return exchange.toBuilder().setResponse(exchange.getResponse().toBuilder().setBody(body)).build();
  }

  private static CapturedExchange entry(
      String sessionId, String id, int second, String method, String url, int status) {
    CapturedExchange base = Exchanges.exchange(sessionId, id);
    return base.toBuilder()
        .setStartedAtUnixMicros(T0.plusSeconds(second).toEpochMilli() * 1000)
        .setRequest(base.getRequest().toBuilder().setMethod(method).setUrl(url))
        .setResponse(base.getResponse().toBuilder().setStatusCode(status))
        .build();
  }
}
