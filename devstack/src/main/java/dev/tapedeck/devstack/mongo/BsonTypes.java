package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * How the embedded store writes documents and index keys into its MVStore file: as BSON, with
 * mongo-java-server's own wire encoder and decoder, instead of H2's default, Java serialization.
 *
 * <p>Java serialization made every document write and read cost several times a BSON encode, and
 * worse, H2 compares keys it cannot compare natively ({@link KeyValue}, the unique indexes' keys)
 * by serializing both sides on every comparison. Keys here compare as MongoDB orders values
 * ({@link ValueComparator}), so an index map is in index order and can be read as a range.
 */
final class BsonTypes {
  private static final byte MISSING = 0x7e;
  private static final ThreadLocal<ByteBuf> ENCODE_BUFFER =
      ThreadLocal.withInitial(() -> Unpooled.buffer(16 * 1024));

  private BsonTypes() {}

  /**
   * The data map's values: whole documents, as BSON, kept in memory as those bytes ({@code
   * byte[]}). Reading a page copies each document's bytes instead of decoding it, and writing one
   * copies them back instead of encoding it again: MVStore reads and rewrites whole pages, so
   * before, every document of a page was decoded when any of it was read (the session cap's
   * lookup, a delete) and encoded again at every commit that rewrote the page (each eviction from
   * a page of interleaved sessions). A document is decoded when the collection reads it ({@link
   * #document}), only the fields it needs when that is enough ({@link #fields}). The file's bytes
   * are the same as when the values were decoded documents: a {@link Document} value (an upgrade
   * copying an old file) is encoded as before.
   */
  static final class StoredDocumentType extends BasicDataType<Object> {
    static final StoredDocumentType INSTANCE = new StoredDocumentType();

    @Override
    public int getMemory(Object value) {
      return value instanceof byte[] bytes ? 24 + bytes.length : 64 + estimate((Document) value);
    }

    @Override
    public void write(WriteBuffer buffer, Object value) {
      if (value instanceof byte[] bytes) {
        buffer.put(bytes);
      } else {
        buffer.put(encode((Document) value));
      }
    }

    @Override
    public Object read(ByteBuffer buffer) {
      int p = buffer.position();
      // BSON's own length prefix, little-endian, counts itself.
      int length =
          (buffer.get(p) & 0xff)
              | (buffer.get(p + 1) & 0xff) << 8
              | (buffer.get(p + 2) & 0xff) << 16
              | (buffer.get(p + 3) & 0xff) << 24;
      byte[] bytes = new byte[length];
      buffer.get(bytes);
      return bytes;
    }

    @Override
    public Object[] createStorage(int size) {
      return new Object[size];
    }
  }

  /** {@code document} as BSON, with mongo-java-server's wire encoder. */
  static byte[] encode(Document document) {
    ByteBuf out = ENCODE_BUFFER.get();
    out.clear();
    BsonEncoder.encodeDocument(document, out);
    byte[] bytes = new byte[out.readableBytes()];
    out.getBytes(out.readerIndex(), bytes);
    if (out.capacity() > 1 << 20) {
      ENCODE_BUFFER.remove(); // not keeping a large document's buffer
    }
    return bytes;
  }

  /** The document a data map value holds (null for null). */
  static Document document(Object stored) {
    if (stored == null || stored instanceof Document) {
      return (Document) stored;
    }
    return BsonDecoder.decodeBson(Unpooled.wrappedBuffer((byte[]) stored));
  }

  /**
   * The top-level fields named in {@code names} of the document a data map value holds, in the
   * document's order, each decoded as {@link #document} would; the other fields are skipped
   * without decoding them (a 2 KiB body and its search text, for an index key), and the reading
   * stops once every named field is found: an entry's key fields come first, so the field names
   * after them are not read either. Null for null.
   */
  static Document fields(Object stored, java.util.Set<String> names) {
    if (stored == null || stored instanceof Document) {
      return (Document) stored;
    }
    ByteBuf in = Unpooled.wrappedBuffer((byte[]) stored);
    int end = in.readIntLE() - 1; // the document's terminating zero
    Document document = new Document();
    while (in.readerIndex() < end) {
      byte type = in.readByte();
      String name = BsonDecoder.decodeCString(in);
      if (names.contains(name)) {
        document.put(name, BsonDecoder.decodeValue(type, in));
        if (document.size() == names.size()) {
          break;
        }
        continue;
      }
      int size = valueSize(type, in);
      if (size >= 0) {
        in.skipBytes(size);
      } else {
        BsonDecoder.decodeValue(type, in); // a rare type: decoded to skip it
      }
    }
    return document;
  }

  /** The size of the value of BSON type {@code type} at {@code in}'s position; -1 to decode it. */
  private static int valueSize(byte type, ByteBuf in) {
    return switch (type) {
      case 0x01, 0x09, 0x11, 0x12 -> 8; // double, date, timestamp, int64
      case 0x02, 0x0D, 0x0E -> 4 + in.getIntLE(in.readerIndex()); // string, code, symbol
      case 0x03, 0x04 -> in.getIntLE(in.readerIndex()); // document, array: the length counts itself
      case 0x05 -> 5 + in.getIntLE(in.readerIndex()); // binary: length, subtype, bytes
      case 0x06, 0x0A, 0x7F, (byte) 0xFF -> 0; // undefined, null, max key, min key
      case 0x07 -> 12; // object id
      case 0x08 -> 1; // boolean
      case 0x10 -> 4; // int32
      case 0x13 -> 16; // decimal128
      default -> -1;
    };
  }

  /** One value of any BSON type (a document's {@code _id}, an index's position). */
  static final class ValueType extends BasicDataType<Object> {
    static final ValueType INSTANCE = new ValueType();

    @Override
    public int getMemory(Object value) {
      return 24 + estimateValue(value);
    }

    @Override
    public void write(WriteBuffer buffer, Object value) {
      writeValue(buffer, value);
    }

    @Override
    public Object read(ByteBuffer buffer) {
      return readValue(buffer);
    }

    @Override
    public int compare(Object a, Object b) {
      return compareValues(a, b);
    }

    @Override
    public Object[] createStorage(int size) {
      return new Object[size];
    }
  }

  /**
   * Index keys: the indexed values, then (for a non-unique index) the document's position. Each
   * component compares as MongoDB orders values, reversed for a descending key.
   */
  static final class KeyType extends BasicDataType<KeyValue> {
    private final boolean[] descending;

    KeyType(boolean... descending) {
      this.descending = descending.clone();
    }

    @Override
    public int getMemory(KeyValue key) {
      int size = 40;
      for (Object value : key) {
        size += 16 + estimateValue(value);
      }
      return size;
    }

    @Override
    public void write(WriteBuffer buffer, KeyValue key) {
      buffer.putVarInt(key.size());
      for (Object value : key) {
        writeValue(buffer, value);
      }
    }

    @Override
    public KeyValue read(ByteBuffer buffer) {
      int size = DataUtils.readVarInt(buffer);
      Object[] values = new Object[size];
      for (int i = 0; i < size; i++) {
        values[i] = readValue(buffer);
      }
      return new KeyValue(values);
    }

    @Override
    public int compare(KeyValue a, KeyValue b) {
      int n = Math.min(a.size(), b.size());
      for (int i = 0; i < n; i++) {
        int c = compareValues(a.get(i), b.get(i));
        if (c != 0) {
          return i < descending.length && descending[i] ? -c : c;
        }
      }
      return Integer.compare(a.size(), b.size());
    }

    @Override
    public KeyValue[] createStorage(int size) {
      return new KeyValue[size];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyType k && Arrays.equals(descending, k.descending);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(descending);
    }
  }

  /** The value of a non-unique index entry: nothing (the key says it all). */
  static final class NoValueType extends BasicDataType<Boolean> {
    static final NoValueType INSTANCE = new NoValueType();

    @Override
    public int getMemory(Boolean value) {
      return 0;
    }

    @Override
    public void write(WriteBuffer buffer, Boolean value) {}

    @Override
    public Boolean read(ByteBuffer buffer) {
      return Boolean.TRUE;
    }

    @Override
    public Boolean[] createStorage(int size) {
      return new Boolean[size];
    }
  }

  /**
   * MongoDB's order of values; {@link Missing} (no such field) sorts with null. Strings, numbers
   * of one type and dates, the common keys, are compared directly, as {@link ValueComparator} would;
   * so are the MinKey and MaxKey that bound an index range, below and above everything.
   */
  static int compareValues(Object a, Object b) {
    if (a instanceof MinKey || b instanceof MinKey) {
      return (a instanceof MinKey ? 0 : 1) - (b instanceof MinKey ? 0 : 1);
    } else if (a instanceof MaxKey || b instanceof MaxKey) {
      return (a instanceof MaxKey ? 1 : 0) - (b instanceof MaxKey ? 1 : 0);
    } else if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    } else if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    } else if (a instanceof Double x && b instanceof Double y && !x.isNaN() && !y.isNaN()) {
      double dx = x;
      double dy = y;
      return dx == dy ? 0 : dx < dy ? -1 : 1;
    } else if (a instanceof java.time.Instant x && b instanceof java.time.Instant y) {
      return x.compareTo(y); // startedAt: the (sessionId, startedAt) index's keys
    }
    return ValueComparator.ascWithoutListHandling().compare(a, b);
  }

  // Tags of the values written without BSON (outside BSON's type codes).
  private static final byte STRING = 0x60;
  private static final byte LONG = 0x61;
  private static final byte INT = 0x62;
  private static final byte DOUBLE = 0x63;

  private static void writeValue(WriteBuffer buffer, Object value) {
    if (value instanceof Missing) {
      buffer.put(MISSING);
      return;
    } else if (value instanceof String s) {
      buffer.put(STRING).putVarInt(s.length()).putStringData(s, s.length());
      return;
    } else if (value instanceof Long l) {
      buffer.put(LONG).putVarLong(l);
      return;
    } else if (value instanceof Integer i) {
      buffer.put(INT).putVarInt(i);
      return;
    } else if (value instanceof Double d) {
      buffer.put(DOUBLE).putDouble(d);
      return;
    }
    byte type = BsonEncoder.determineType(value);
    ByteBuf out = Unpooled.buffer(32);
    try {
      BsonEncoder.encodeValue(type, value, out);
      buffer.put(type);
      buffer.putVarInt(out.readableBytes());
      buffer.put(out.nioBuffer());
    } finally {
      out.release();
    }
  }

  private static Object readValue(ByteBuffer buffer) {
    byte type = buffer.get();
    switch (type) {
      case MISSING:
        return Missing.getInstance();
      case STRING:
        return DataUtils.readString(buffer);
      case LONG:
        return DataUtils.readVarLong(buffer);
      case INT:
        return DataUtils.readVarInt(buffer);
      case DOUBLE:
        return buffer.getDouble();
      default:
        break;
    }
    int length = DataUtils.readVarInt(buffer);
    byte[] bytes = new byte[length];
    buffer.get(bytes);
    return BsonDecoder.decodeValue(type, Unpooled.wrappedBuffer(bytes));
  }

  /** A rough size in memory, for the page cache's accounting; cheap, not exact. */
  private static int estimate(Map<String, ?> document) {
    int size = 0;
    for (Map.Entry<String, ?> e : document.entrySet()) {
      size += 48 + 2 * e.getKey().length() + estimateValue(e.getValue());
    }
    return size;
  }

  private static int estimateValue(Object value) {
    if (value instanceof String s) {
      return 40 + s.length();
    } else if (value instanceof de.bwaldvogel.mongo.bson.BinData b) {
      return 32 + b.getData().length;
    } else if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, ?> sub = (Map<String, ?>) m;
      return 64 + estimate(sub);
    } else if (value instanceof Collection<?> c) {
      int size = 40;
      for (Object element : c) {
        size += 8 + estimateValue(element);
      }
      return size;
    }
    return 24;
  }
}
