package dev.tapedeck.storage.entry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.bson.BsonBinaryWriter;
import org.bson.BsonDocument;
import org.bson.ByteBuf;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.codecs.EncoderContext;
import org.bson.io.BasicOutputBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The entry document written directly ({@link EntryDocuments#encode}) is the one the driver's
 * codec made of {@link EntryDocuments#toDocument}: field by field and byte for byte, the search
 * text included, whatever the headers and bodies hold.
 */
class EntryEncodingTest {
  private static final Instant STORED_AT = Instant.parse("2026-12-03T10:15:30.123Z");

  static Stream<Arguments> exchanges() {
    byte[] gzippedAscii =
        ContentCodings.encode("{\"Customer\":\"ADA Lovelace\"}".getBytes(StandardCharsets.UTF_8), "gzip");
    byte[] gzippedAccents =
        ContentCodings.encode("{\"Ville\":\"ZÜRICH\"}".getBytes(StandardCharsets.UTF_8), "gzip");
    byte[] gzippedLong =
        ContentCodings.encode(
            "AbC".repeat(SearchText.BODY_CHARS).getBytes(StandardCharsets.UTF_8), "gzip");
    return Stream.of(
        Arguments.of("bare", base().build()),
        Arguments.of(
            "ascii headers and json body",
            base()
                .setRequest(
                    base().getRequestBuilder()
                        .addHeaders(header("X-Trace-Id", "Trace-42"))
                        .addHeaders(header("Accept", "*/*"))
                        .setBody(text("{\"Query\":\"FIND Me\"}", "application/json")))
                .setResponse(
                    base().getResponseBuilder()
                        .addHeaders(header("Content-Type", "application/json; charset=UTF-8"))
                        .setBody(text("{\"Items\":[{\"ID\":1}]}", "application/json; charset=UTF-8")))
                .build()),
        Arguments.of(
            "every ascii character around the letters, at every offset of an 8-byte word",
            base()
                .setRequest(base().getRequestBuilder().addHeaders(header("X-Edge", "@AZ[`az{")))
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(text(everyAscii(), "text/plain; charset=us-ascii")))
                .build()),
        Arguments.of(
            "non-ascii header: ÉCOLE",
            base().setRequest(base().getRequestBuilder().addHeaders(header("X-Place", "ÉCOLE Centrale"))).build()),
        Arguments.of(
            "turkish dotted capital I in a body",
            base().setResponse(base().getResponseBuilder().setBody(text("İSTANBUL and DIŞ", "text/plain"))).build()),
        Arguments.of(
            "emoji in a body",
            base().setResponse(base().getResponseBuilder().setBody(text("SMILE 😀 Now", "text/plain"))).build()),
        Arguments.of(
            "an emoji cut in half at the body limit",
            base()
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(text("X".repeat(SearchText.BODY_CHARS - 1) + "😀 tail", "text/plain")))
                .build()),
        Arguments.of(
            "binary bodies",
            base()
                .setRequest(
                    base().getRequestBuilder()
                        .setBody(
                            Body.newBuilder()
                                .setData(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff}))
                                .setContentType("image/png")))
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(
                            Body.newBuilder()
                                .setData(ByteString.copyFromUtf8("NOT SEARCHED"))
                                .setContentType("application/octet-stream")))
                .build()),
        Arguments.of(
            "gzip body, ascii",
            base().setResponse(base().getResponseBuilder().setBody(compressed(gzippedAscii, "application/json"))).build()),
        Arguments.of(
            "gzip body, non-ascii",
            base().setResponse(base().getResponseBuilder().setBody(compressed(gzippedAccents, "application/json"))).build()),
        Arguments.of(
            "gzip body past the body limit",
            base().setResponse(base().getResponseBuilder().setBody(compressed(gzippedLong, "text/plain"))).build()),
        Arguments.of(
            "gzip body truncated at capture",
            base()
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(
                            compressed(Arrays.copyOf(gzippedLong, gzippedLong.length / 2), "text/plain").toBuilder()
                                .setTruncated(true)))
                .build()),
        Arguments.of(
            "ascii body past the body limit",
            base()
                .setResponse(
                    base().getResponseBuilder().setBody(text("Ab".repeat(SearchText.BODY_CHARS), "text/plain")))
                .build()),
        Arguments.of(
            "latin-1 body",
            base()
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(
                            Body.newBuilder()
                                .setData(ByteString.copyFrom("René;ZÜRICH".getBytes(StandardCharsets.ISO_8859_1)))
                                .setContentType("text/csv; charset=iso-8859-1")))
                .build()),
        Arguments.of(
            "utf-16 body of ascii characters",
            base()
                .setResponse(
                    base().getResponseBuilder()
                        .setBody(
                            Body.newBuilder()
                                .setData(ByteString.copyFrom("HELLO".getBytes(StandardCharsets.UTF_16LE)))
                                .setContentType("text/plain; charset=utf-16le")))
                .build()),
        Arguments.of(
            "identity-encoded body and an odd url",
            base()
                .setEntryType(EntryType.WEBSOCKET)
                .setRequest(
                    base().getRequestBuilder()
                        .setUrl("not a url: ::")
                        .setBody(text("PLAIN", "text/plain").toBuilder().setContentEncoding("identity")))
                .build()),
        Arguments.of(
            "non-ascii url and header name",
            base()
                .setRequest(
                    base().getRequestBuilder()
                        .setUrl("http://bücher.example/straße?q=Größe")
                        .addHeaders(header("X-Größe", "XL")))
                .build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void theDirectEncodingIsTheCodecsDocument(String name, CapturedExchange exchange) {
    byte[] exchangeBytes = exchange.toByteArray();
    RawBsonDocument direct = EntryDocuments.encode(exchange, exchangeBytes, 42, STORED_AT);
    RawBsonDocument codec = viaCodec(EntryDocuments.toDocument(exchange, 42, STORED_AT));

    BsonDocument expected = codec.toBsonDocument();
    BsonDocument actual = direct.toBsonDocument();
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String field : expected.keySet()) {
      assertThat(actual.get(field)).as(field).isEqualTo(expected.get(field));
    }
    assertThat(bytes(direct)).isEqualTo(bytes(codec));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exchanges")
  void theAsciiSearchTextIsTheLowerCasedText(String name, CapturedExchange exchange) {
    SearchText.AsciiText asciiText = SearchText.asciiLowerCase(exchange);
    byte[] ascii = asciiText == null ? null : Arrays.copyOf(asciiText.bytes(), asciiText.length());
    String text = SearchText.of(exchange);
    boolean stringPath = text.chars().anyMatch(c -> c >= 0x80) || name.contains("utf-16");
    assertThat(ascii == null)
        .as("only a text that is not ASCII, or a charset that is not ASCII-compatible, takes the String path")
        .isEqualTo(stringPath);
    if (ascii != null) {
      assertThat(new String(ascii, StandardCharsets.US_ASCII)).isEqualTo(text);
    }
    assertThat(text).isEqualTo(text.toLowerCase(Locale.ROOT));
  }

  /** Each ASCII character, then the letters' edges shifted through every position of a word. */
  private static String everyAscii() {
    StringBuilder text = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      text.append(c);
    }
    for (int shift = 0; shift < 8; shift++) {
      text.append("x".repeat(shift)).append("@AMZ[`amz{");
    }
    return text.toString();
  }

  private static RawBsonDocument viaCodec(Document document) {
    BasicOutputBuffer buffer = new BasicOutputBuffer();
    try (BsonBinaryWriter writer = new BsonBinaryWriter(buffer)) {
      new DocumentCodec().encode(writer, document, EncoderContext.builder().build());
    }
    return new RawBsonDocument(buffer.toByteArray());
  }

  private static byte[] bytes(RawBsonDocument document) {
    ByteBuf buffer = document.getByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static CapturedExchange.Builder base() {
    return Exchanges.exchange("session-1", "entry-1").toBuilder();
  }

  private static Header header(String name, String value) {
    return Header.newBuilder().setName(name).setValue(value).build();
  }

  private static Body text(String text, String contentType) {
    return Body.newBuilder().setData(ByteString.copyFromUtf8(text)).setContentType(contentType).build();
  }

  private static Body compressed(byte[] data, String contentType) {
    return Body.newBuilder()
        .setData(ByteString.copyFrom(data))
        .setContentEncoding("gzip")
        .setContentType(contentType)
        .build();
  }
}
