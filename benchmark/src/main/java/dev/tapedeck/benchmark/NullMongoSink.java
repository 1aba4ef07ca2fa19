package dev.tapedeck.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A MongoDB-wire endpoint that costs (almost) nothing, to measure storage-service alone: it
 * answers the wire protocol (the OP_QUERY handshake, OP_MSG commands) and acknowledges every
 * write without storing it.
 *
 * <ul>
 *   <li>{@code insert}: the documents are skipped by their length prefixes, never decoded;
 *       answered {@code {n: <count>, ok: 1}}.
 *   <li>{@code delete}, {@code update}: answered {@code ok} with {@code n: 0} (an upsert as one
 *       upserted document).
 *   <li>{@code findAndModify} with {@code $inc} (the session sequence counters): the one thing
 *       it keeps, a counter per {@code _id}, so sequence numbers advance as on a real store and the
 *       session cap runs its count (answered 0, so nothing is read back or evicted).
 *   <li>{@code find}, {@code aggregate}, {@code listIndexes}: an empty cursor, except a find of a
 *       counter by {@code _id}, which returns it.
 *   <li>anything else ({@code hello}, {@code ping}, {@code createIndexes}, {@code endSessions}):
 *       {@code ok: 1}.
 * </ul>
 *
 * <p>One platform thread per connection, blocking I/O. Only the small command document of each
 * message is parsed (with the minimal BSON reader below), so its cost per entry is a few bytes
 * skipped.
 */
public final class NullMongoSink implements AutoCloseable {
  private static final int OP_REPLY = 1;
  private static final int OP_QUERY = 2004;
  private static final int OP_MSG = 2013;

  private final ServerSocket server;
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong requestId = new AtomicLong();
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean closed;

  /** Starts on a free loopback port. */
  public NullMongoSink() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "null-mongo-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** {@code mongodb://127.0.0.1:<port>}. */
  public String uri() {
    return "mongodb://127.0.0.1:" + server.getLocalPort();
  }

  /** Documents acknowledged by {@code insert} commands so far. */
  public long inserted() {
    return inserted.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        synchronized (sockets) {
          sockets.add(socket);
        }
        Thread t = new Thread(() -> serve(socket), "null-mongo-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket;
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
        OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
      byte[] head = new byte[16];
      while (!closed) {
        try {
          in.readFully(head);
        } catch (EOFException e) {
          return;
        }
        ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        int length = h.getInt();
        int id = h.getInt();
        h.getInt();
        int opCode = h.getInt();
        if (opCode == OP_QUERY) {
          byte[] body = new byte[length - 16];
          in.readFully(body);
          ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
          b.getInt();
          String collection = cstring(b);
          b.getInt();
          b.getInt();
          Map<String, Object> query = Bson.read(b);
          String db = collection.substring(0, collection.indexOf('.'));
          reply(out, id, answer(query, db, 0));
        } else if (opCode == OP_MSG) {
          int flags = readIntLe(in);
          int remaining = length - 20 - ((flags & 1) != 0 ? 4 : 0);
          Map<String, Object> command = null;
          long documents = 0;
          while (remaining > 0) {
            int kind = in.readUnsignedByte();
            remaining--;
            int size = readIntLe(in);
            if (kind == 0) {
              byte[] doc = new byte[size];
              ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN).putInt(size);
              in.readFully(doc, 4, size - 4);
              command = Bson.read(ByteBuffer.wrap(doc).order(ByteOrder.LITTLE_ENDIAN));
            } else {
              // A document sequence: identifier, then documents, each skipped by its length.
              int left = size - 4;
              int c;
              while ((c = in.read()) != 0) {
                if (c < 0) {
                  throw new EOFException();
                }
                left--;
              }
              left--;
              while (left > 0) {
                int docSize = readIntLe(in);
                in.skipNBytes(docSize - 4);
                left -= docSize;
                documents++;
              }
            }
            remaining -= size;
          }
          if ((flags & 1) != 0) {
            in.skipNBytes(4);
          }
          // moreToCome (an unacknowledged write): the client expects no answer.
          if (command != null && (flags & 2) == 0) {
            String db = String.valueOf(command.getOrDefault("$db", "admin"));
            msg(out, id, answer(command, db, documents));
          }
        } else {
          in.skipNBytes(length - 16);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private Map<String, Object> answer(Map<String, Object> command, String db, long sequenceDocs) {
    String name = command.keySet().iterator().next();
    Map<String, Object> reply = new LinkedHashMap<>();
    switch (name) {
      case "isMaster", "ismaster", "hello" -> {
        reply.put("ismaster", true);
        reply.put("isWritablePrimary", true);
        reply.put("helloOk", true);
        reply.put("maxBsonObjectSize", 16 * 1024 * 1024);
        reply.put("maxMessageSizeBytes", 48_000_000);
        reply.put("maxWriteBatchSize", 100_000);
        reply.put("localTime", new java.util.Date());
        reply.put("logicalSessionTimeoutMinutes", 30);
        reply.put("connectionId", 1);
        reply.put("minWireVersion", 0);
        reply.put("maxWireVersion", 13);
        reply.put("readOnly", false);
      }
      case "buildInfo", "buildinfo" -> {
        reply.put("version", "5.0.0");
        reply.put("versionArray", List.of(5, 0, 0, 0));
      }
      case "insert" -> {
        long n = sequenceDocs;
        if (command.get("documents") instanceof List<?> docs) {
          n += docs.size();
        }
        inserted.addAndGet(n);
        reply.put("n", (int) n);
      }
      case "delete" -> reply.put("n", 0);
      case "update" -> {
        reply.put("n", 0);
        reply.put("nModified", 0);
      }
      case "findAndModify", "findandmodify" -> {
        Object idValue = filterId(command.get("query"));
        Map<String, Object> value = null;
        if (idValue != null && command.get("update") instanceof Map<?, ?> update
            && update.get("$inc") instanceof Map<?, ?> inc) {
          Map.Entry<?, ?> field = inc.entrySet().iterator().next();
          long by = ((Number) field.getValue()).longValue();
          long now = counters.merge(command.get("findAndModify") + "/" + idValue, by, Long::sum);
          value = new LinkedHashMap<>();
          value.put("_id", idValue);
          value.put(String.valueOf(field.getKey()), now);
        }
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("n", value == null ? 0 : 1);
        last.put("updatedExisting", value != null);
        reply.put("lastErrorObject", last);
        reply.put("value", value);
      }
      case "find" -> {
        List<Object> batch = new ArrayList<>();
        Object idValue = filterId(command.get("filter"));
        Long counter = idValue == null ? null : counters.get(command.get("find") + "/" + idValue);
        if (counter != null) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("_id", idValue);
          doc.put("value", counter);
          batch.add(doc);
        }
        reply.put("cursor", cursor(db + "." + command.get("find"), "firstBatch", batch));
      }
      case "aggregate", "listIndexes", "listCollections" ->
          reply.put("cursor", cursor(db + "." + command.get(name), "firstBatch", List.of()));
      case "getMore" -> reply.put("cursor", cursor(db + "." + command.get("collection"), "nextBatch", List.of()));
      default -> {
        // ping, createIndexes, endSessions, killCursors...: acknowledged.
      }
    }
    reply.put("ok", 1.0);
    return reply;
  }

  /** The plain {@code _id} of a {@code {_id: value}} filter, or null. */
  private static Object filterId(Object filter) {
    if (filter instanceof Map<?, ?> f && f.size() == 1 && f.containsKey("_id")) {
      Object id = f.get("_id");
      return id instanceof Map ? null : id;
    }
    return null;
  }

  private static Map<String, Object> cursor(String ns, String batchName, List<Object> batch) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", 0L);
    c.put("ns", ns);
    c.put(batchName, batch);
    return c;
  }

  private void reply(OutputStream out, int responseTo, Map<String, Object> doc) throws IOException {
    byte[] bson = Bson.write(doc);
    ByteBuffer b = ByteBuffer.allocate(36 + bson.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(36 + bson.length).putInt((int) requestId.incrementAndGet()).putInt(responseTo).putInt(OP_REPLY);
    b.putInt(8).putLong(0).putInt(0).putInt(1).put(bson);
    out.write(b.array());
    out.flush();
  }

  private void msg(OutputStream out, int responseTo, Map<String, Object> doc) throws IOException {
    byte[] bson = Bson.write(doc);
    ByteBuffer b = ByteBuffer.allocate(21 + bson.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(21 + bson.length).putInt((int) requestId.incrementAndGet()).putInt(responseTo).putInt(OP_MSG);
    b.putInt(0).put((byte) 0).put(bson);
    out.write(b.array());
    out.flush();
  }

  private static int readIntLe(DataInputStream in) throws IOException {
    return Integer.reverseBytes(in.readInt());
  }

  private static String cstring(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // to the terminator
    }
    return new String(b.array(), start, b.position() - start - 1, StandardCharsets.UTF_8);
  }

  /** The few BSON types the command documents use; anything else is skipped as opaque. */
  static final class Bson {
    private Bson() {}

    static Map<String, Object> read(ByteBuffer b) {
      int start = b.position();
      int size = b.getInt();
      Map<String, Object> doc = new LinkedHashMap<>();
      while (b.position() < start + size - 1) {
        byte type = b.get();
        String key = cstring(b);
        doc.put(key, value(type, b));
      }
      b.position(start + size);
      return doc;
    }

    private static Object value(byte type, ByteBuffer b) {
      return switch (type) {
        case 1 -> b.getDouble();
        case 2, 13, 14 -> {
          int len = b.getInt();
          String s = new String(b.array(), b.position(), len - 1, StandardCharsets.UTF_8);
          b.position(b.position() + len);
          yield s;
        }
        case 3 -> read(b);
        case 4 -> new ArrayList<>(read(b).values());
        case 5 -> {
          int len = b.getInt();
          b.position(b.position() + 1 + len);
          yield "<binary>";
        }
        case 7 -> {
          b.position(b.position() + 12);
          yield "<objectId>";
        }
        case 8 -> b.get() != 0;
        case 9 -> new java.util.Date(b.getLong());
        case 10, 6, -1, 127 -> null;
        case 11 -> {
          String pattern = cstring(b);
          cstring(b);
          yield pattern;
        }
        case 16 -> b.getInt();
        case 17, 18 -> b.getLong();
        case 19 -> {
          b.position(b.position() + 16);
          yield "<decimal>";
        }
        default -> throw new IllegalArgumentException("BSON type " + type + " not read here");
      };
    }

    static byte[] write(Map<String, Object> doc) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      document(out, doc);
      return out.toByteArray();
    }

    private static void document(ByteArrayOutputStream out, Map<?, ?> doc) {
      ByteArrayOutputStream body = new ByteArrayOutputStream(128);
      for (Map.Entry<?, ?> e : doc.entrySet()) {
        element(body, String.valueOf(e.getKey()), e.getValue());
      }
      int size = 4 + body.size() + 1;
      intLe(out, size);
      out.writeBytes(body.toByteArray());
      out.write(0);
    }

    private static void element(ByteArrayOutputStream out, String key, Object v) {
      byte[] name = key.getBytes(StandardCharsets.UTF_8);
      if (v == null) {
        out.write(10);
        cstr(out, name);
      } else if (v instanceof Boolean bool) {
        out.write(8);
        cstr(out, name);
        out.write(bool ? 1 : 0);
      } else if (v instanceof Integer i) {
        out.write(16);
        cstr(out, name);
        intLe(out, i);
      } else if (v instanceof Long l) {
        out.write(18);
        cstr(out, name);
        longLe(out, l);
      } else if (v instanceof Double d) {
        out.write(1);
        cstr(out, name);
        longLe(out, Double.doubleToLongBits(d));
      } else if (v instanceof java.util.Date date) {
        out.write(9);
        cstr(out, name);
        longLe(out, date.getTime());
      } else if (v instanceof Map<?, ?> m) {
        out.write(3);
        cstr(out, name);
        document(out, m);
      } else if (v instanceof List<?> list) {
        out.write(4);
        cstr(out, name);
        Map<String, Object> indexed = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
          indexed.put(Integer.toString(i), list.get(i));
        }
        document(out, indexed);
      } else {
        byte[] s = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        out.write(2);
        cstr(out, name);
        intLe(out, s.length + 1);
        out.writeBytes(s);
        out.write(0);
      }
    }

    private static void cstr(ByteArrayOutputStream out, byte[] name) {
      out.writeBytes(name);
      out.write(0);
    }

    private static void intLe(ByteArrayOutputStream out, int v) {
      out.write(v);
      out.write(v >>> 8);
      out.write(v >>> 16);
      out.write(v >>> 24);
    }

    private static void longLe(ByteArrayOutputStream out, long v) {
      intLe(out, (int) v);
      intLe(out, (int) (v >>> 32));
    }
  }
}
