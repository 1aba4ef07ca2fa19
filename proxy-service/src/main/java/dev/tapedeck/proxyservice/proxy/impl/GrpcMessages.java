package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one direction of a gRPC stream into its length-prefixed messages as chunks pass: each
 * message is a 1-byte compressed flag, a 4-byte big-endian length, then that many bytes. A prefix
 * or a message may span any number of chunks. Bounded: of each message only the first {@code
 * limit} bytes are kept, the rest is counted, so a stream costs at most one message's kept part.
 */
final class GrpcMessages {
  /**
   * One complete message.
   *
   * @param compressed the prefix's flag: the message is compressed with the call's grpc-encoding
   * @param size the message length the prefix declared
   * @param data the first bytes of the message, at most the limit
   */
  record Message(boolean compressed, long size, Buffer data) {
    boolean truncated() {
      return data.length() < size;
    }
  }

  private static final int PREFIX = 5;

  private final int limit;
  private final byte[] prefix = new byte[PREFIX];
  private int prefixRead;
  private boolean compressed;
  private long size;
  private long remaining;
  private Buffer kept;

  GrpcMessages(int limit) {
    this.limit = limit;
  }

  /** The messages {@code chunk} completes, in order. */
  List<Message> feed(Buffer chunk) {
    List<Message> done = new ArrayList<>(1);
    int at = 0;
    int end = chunk.length();
    while (at < end) {
      if (prefixRead < PREFIX) {
        prefix[prefixRead++] = chunk.getByte(at++);
        if (prefixRead == PREFIX) {
          startMessage();
          if (remaining == 0) {
            finish(done);
          }
        }
        continue;
      }
      int n = (int) Math.min(remaining, end - at);
      int room = limit - kept.length();
      if (room > 0) {
        kept.appendBuffer(chunk.slice(at, at + Math.min(n, room)));
      }
      at += n;
      remaining -= n;
      if (remaining == 0) {
        finish(done);
      }
    }
    return done;
  }

  private void startMessage() {
    compressed = prefix[0] == 1;
    size = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFFL) << 16) | ((prefix[3] & 0xFFL) << 8) | (prefix[4] & 0xFFL);
    remaining = size;
    kept = Buffer.buffer((int) Math.min(size, limit));
  }

  private void finish(List<Message> done) {
    done.add(new Message(compressed, size, kept));
    prefixRead = 0;
    kept = null;
  }
}
