package dev.tapedeck.storage.entry;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntrySummary;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bson.BsonBinarySubType;
import org.bson.BsonType;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.io.BasicOutputBuffer;
import org.bson.types.Binary;

/**
 * Maps entries between their protobuf form and the documents of the {@code entries} collection.
 *
 * <p>The document keeps the exchange as the protobuf bytes ({@code exchange}), so nothing is lost,
 * and copies a few fields beside it for listing and querying.
 */
public final class EntryDocuments {

  /** The entry id, minted at the proxy. */
  public static final String ID = "_id";

  public static final String SESSION_ID = "sessionId";
  public static final String SEQ = "seq";
  public static final String STORED_AT = "storedAt";
  public static final String STARTED_AT = "startedAt";
  public static final String ENTRY_TYPE = "entryType";
  public static final String METHOD = "method";
  public static final String URL = "url";
  public static final String HOST = "host";
  public static final String PATH = "path";
  public static final String STATUS = "status";
  public static final String DURATION_MS = "durationMs";
  public static final String TAGS = "tags";
  public static final String NOTES = "notes";
  public static final String EXCHANGE = "exchange";
  /** Lower-case header lines and textual bodies, for search; see {@link SearchText}. */
  public static final String TEXT = "text";

  /**
   * The bytes of an entry document besides its strings' characters and the exchange's bytes:
   * field names, types, lengths, the fixed-size values and the entry type's name (about 265).
   */
  private static final int FIXED_BYTES = 320;

  // Each element's type byte and name (a C string), as the writer would put them, made once.
  private static final byte[] ID_ELEMENT = element(BsonType.STRING, ID);
  private static final byte[] SESSION_ID_ELEMENT = element(BsonType.STRING, SESSION_ID);
  private static final byte[] SEQ_ELEMENT = element(BsonType.INT64, SEQ);
  private static final byte[] STORED_AT_ELEMENT = element(BsonType.DATE_TIME, STORED_AT);
  private static final byte[] STARTED_AT_ELEMENT = element(BsonType.DATE_TIME, STARTED_AT);
  private static final byte[] ENTRY_TYPE_ELEMENT = element(BsonType.STRING, ENTRY_TYPE);
  private static final byte[] METHOD_ELEMENT = element(BsonType.STRING, METHOD);
  private static final byte[] URL_ELEMENT = element(BsonType.STRING, URL);
  private static final byte[] HOST_ELEMENT = element(BsonType.STRING, HOST);
  private static final byte[] PATH_ELEMENT = element(BsonType.STRING, PATH);
  private static final byte[] STATUS_ELEMENT = element(BsonType.INT32, STATUS);
  private static final byte[] DURATION_MS_ELEMENT = element(BsonType.DOUBLE, DURATION_MS);
  private static final byte[] TAGS_ELEMENT = element(BsonType.ARRAY, TAGS);
  private static final byte[] NOTES_ELEMENT = element(BsonType.STRING, NOTES);
  private static final byte[] TEXT_ELEMENT = element(BsonType.STRING, TEXT);
  private static final byte[] EXCHANGE_ELEMENT = element(BsonType.BINARY, EXCHANGE);

  private EntryDocuments() {}

  /** The document stored for {@code exchange} at position {@code seq} of its session. */
  public static Document toDocument(CapturedExchange exchange, long seq, Instant storedAt) {
    URI uri = parseUri(exchange.getRequest().getUrl());
    return new Document(ID, exchange.getEntryId())
        .append(SESSION_ID, exchange.getSessionId())
        .append(SEQ, seq)
        .append(STORED_AT, Date.from(storedAt))
        .append(STARTED_AT, new Date(exchange.getStartedAtUnixMicros() / 1000))
        .append(ENTRY_TYPE, exchange.getEntryType().name())
        .append(METHOD, exchange.getRequest().getMethod())
        .append(URL, exchange.getRequest().getUrl())
        .append(HOST, uri == null || uri.getHost() == null ? "" : uri.getHost())
        .append(PATH, uri == null || uri.getRawPath() == null ? "" : uri.getRawPath())
        .append(STATUS, exchange.getResponse().getStatusCode())
        .append(DURATION_MS, exchange.getTimings().getTotalMs())
        .append(TAGS, List.of())
        .append(NOTES, "")
        .append(TEXT, SearchText.of(PackedBodies.unpackTextual(exchange)))
        .append(EXCHANGE, new Binary(exchange.toByteArray()));
  }

  /**
   * The BSON of {@link #toDocument} with {@code exchangeBytes} as its {@code exchange} field,
   * written field by field into one buffer: the same fields, order, types and bytes as encoding
   * that {@link Document} with the driver's {@code DocumentCodec}, without building the map and
   * its boxed values, and with an ASCII search text copied as the bytes {@link
   * SearchText#asciiLowerCase} made rather than encoded character by character.
   *
   * @param exchangeBytes the protobuf encoding of the exchange as stored (its bodies offloaded, if
   *     any were)
   */
  public static RawBsonDocument encode(
      CapturedExchange exchange, byte[] exchangeBytes, long seq, Instant storedAt) {
    return encode(exchange, UnsafeByteOperations.unsafeWrap(exchangeBytes), seq, storedAt);
  }

  /**
   * {@link #encode(CapturedExchange, byte[], long, Instant)} with the exchange's bytes as a
   * ByteString (read in place: a record's value as Kafka fetched it).
   */
  public static RawBsonDocument encode(
      CapturedExchange exchange, ByteString exchangeBytes, long seq, Instant storedAt) {
    String url = exchange.getRequest().getUrl();
    UrlParts parts = UrlParts.of(url);
    CapturedExchange searched = PackedBodies.unpackTextual(exchange);
    SearchText.AsciiText asciiText = SearchText.asciiLowerCase(searched);
    String text = asciiText == null ? SearchText.ofNonAscii(searched) : null;
    // Sized up front for ASCII strings (the URL twice over: host and path are part of it), so the
    // buffer is not grown by copies; only a document with other characters may grow it, once.
    int size =
        exchangeBytes.size()
            + (asciiText != null ? asciiText.length() : text.length())
            + 2 * url.length()
            + exchange.getEntryId().length()
            + exchange.getSessionId().length()
            + exchange.getRequest().getMethod().length()
            + FIXED_BYTES;
    BasicOutputBuffer out = new BasicOutputBuffer(size);
    out.writeInt32(0); // the document's length, set at the end
    string(out, ID_ELEMENT, exchange.getEntryId());
    string(out, SESSION_ID_ELEMENT, exchange.getSessionId());
    out.writeBytes(SEQ_ELEMENT);
    out.writeInt64(seq);
    out.writeBytes(STORED_AT_ELEMENT);
    out.writeInt64(storedAt.toEpochMilli());
    out.writeBytes(STARTED_AT_ELEMENT);
    out.writeInt64(exchange.getStartedAtUnixMicros() / 1000);
    string(out, ENTRY_TYPE_ELEMENT, exchange.getEntryType().name());
    string(out, METHOD_ELEMENT, exchange.getRequest().getMethod());
    string(out, URL_ELEMENT, url);
    string(out, HOST_ELEMENT, parts.host());
    string(out, PATH_ELEMENT, parts.path());
    out.writeBytes(STATUS_ELEMENT);
    out.writeInt32(exchange.getResponse().getStatusCode());
    out.writeBytes(DURATION_MS_ELEMENT);
    out.writeDouble(exchange.getTimings().getTotalMs());
    out.writeBytes(TAGS_ELEMENT);
    out.writeInt32(5); // an empty array: its length and the terminating zero
    out.writeByte(0);
    string(out, NOTES_ELEMENT, "");
    if (asciiText != null) {
      out.writeBytes(TEXT_ELEMENT);
      out.writeInt32(asciiText.length() + 1);
      out.writeBytes(asciiText.bytes(), 0, asciiText.length());
      out.writeByte(0);
    } else {
      string(out, TEXT_ELEMENT, text);
    }
    out.writeBytes(EXCHANGE_ELEMENT);
    out.writeInt32(exchangeBytes.size());
    out.writeByte(BsonBinarySubType.BINARY.getValue());
    try {
      // Handed over as they are (ByteString.writeTo would copy them first, to protect them from
      // the stream): the buffer only copies them in.
      UnsafeByteOperations.unsafeWriteTo(exchangeBytes, new BufferOutput(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer does not fail
    }
    out.writeByte(0);
    out.writeInt32(0, out.getPosition());
    return new RawBsonDocument(out.getInternalBuffer(), 0, out.getPosition());
  }

  /** Bytes protobuf hands over, copied into a BSON buffer (which never keeps or changes them). */
  private static final class BufferOutput extends ByteOutput {
    private final BasicOutputBuffer out;

    BufferOutput(BasicOutputBuffer out) {
      this.out = out;
    }

    @Override
    public void write(byte value) {
      out.writeByte(value);
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      out.writeBytes(value, offset, length);
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      out.writeBytes(value, offset, length);
    }

    @Override
    public void write(ByteBuffer value) {
      // Only a buffer without an array (not what Kafka hands out) comes this way.
      byte[] bytes = new byte[value.remaining()];
      value.get(bytes);
      out.writeBytes(bytes);
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      write(value);
    }
  }

  private static void name(BasicOutputBuffer out, BsonType type, String name) {
    out.writeByte(type.getValue());
    out.writeCString(name);
  }

  /** A string element, its characters encoded as the driver's BSON writer encodes them. */
  private static void string(BasicOutputBuffer out, byte[] element, String value) {
    out.writeBytes(element);
    out.writeString(value);
  }

  /** An element's type byte and name: {@link #name} into a buffer of their own. */
  private static byte[] element(BsonType type, String name) {
    BasicOutputBuffer out = new BasicOutputBuffer(name.length() + 2);
    name(out, type, name);
    return out.toByteArray();
  }

  /** The stored entry a document holds. */
  public static StoredEntry toStoredEntry(Document document) {
    StoredEntry.Builder entry =
        StoredEntry.newBuilder()
            .setExchange(exchange(document))
            .setSequence(document.get(SEQ, Number.class).longValue())
            .setNotes(document.get(NOTES, ""));
    Date storedAt = document.getDate(STORED_AT);
    if (storedAt != null) {
      entry.setStoredAtUnixMicros(storedAt.getTime() * 1000);
    }
    List<String> tags = document.getList(TAGS, String.class);
    if (tags != null) {
      entry.addAllTags(tags);
    }
    return entry.build();
  }

  /** The exchange a document holds, decoded from its protobuf bytes. */
  public static CapturedExchange exchange(Document document) {
    try {
      return CapturedExchange.parseFrom(document.get(EXCHANGE, Binary.class).getData());
    } catch (InvalidProtocolBufferException e) {
      // Only decodable exchanges are ever written, so this is a corrupted document.
      throw new IllegalStateException(
          "entry " + document.get(ID) + " holds an undecodable exchange", e);
    }
  }

  /** The short view of an exchange that live lists show. */
  public static EntrySummary summary(CapturedExchange exchange) {
    return EntrySummary.newBuilder()
        .setEntryType(exchange.getEntryType())
        .setMethod(exchange.getRequest().getMethod())
        .setUrl(exchange.getRequest().getUrl())
        .setStatusCode(exchange.getResponse().getStatusCode())
        .setDurationMs(exchange.getTimings().getTotalMs())
        .setStartedAtUnixMicros(exchange.getStartedAtUnixMicros())
        .build();
  }

  private static URI parseUri(String url) {
    try {
      return URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
