package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.Body;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyCaptureTest {

  @Test
  void chunksAreKeptInOrderWithTheirSizeAndType() {
    BodyCapture capture = new BodyCapture(1 << 20);
    StringBuilder sent = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      String chunk = "chunk " + i + ";";
      sent.append(chunk);
      capture.append(Buffer.buffer(chunk));
    }
    Body body = capture.toBody("text/plain; charset=utf-8", "identity");
    assertThat(body.getData().toString(StandardCharsets.UTF_8)).isEqualTo(sent.toString());
    assertThat(body.getSize()).isEqualTo(sent.length());
    assertThat(body.getTruncated()).isFalse();
    assertThat(body.getContentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(body.getContentEncoding()).isEqualTo("identity");
  }

  @Test
  void pastTheLimitOnlyTheSizeGrows() {
    BodyCapture capture = new BodyCapture(10);
    capture.append(Buffer.buffer("0123456"));
    capture.append(Buffer.buffer("789abcdef"));
    capture.append(Buffer.buffer("ghij"));
    Body body = capture.toBody(null, null);
    assertThat(body.getData().toStringUtf8()).isEqualTo("0123456789");
    assertThat(body.getSize()).isEqualTo(20);
    assertThat(body.getTruncated()).isTrue();
    assertThat(body.getContentType()).isEmpty();
  }

  @Test
  void aBodyRecordedEarlierIsNotChangedByLaterChunks() {
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.append(Buffer.buffer("first part"));
    Body early = capture.toBody(null, null);
    capture.append(Buffer.buffer(new byte[100_000]));
    assertThat(early.getData().toStringUtf8()).isEqualTo("first part");
    assertThat(capture.toBody(null, null).getSize()).isEqualTo(100_010);
  }

  @Test
  void anEmptyBodyIsEmpty() {
    Body body = new BodyCapture(1024).toBody("application/json", null);
    assertThat(body.getData().isEmpty()).isTrue();
    assertThat(body.getSize()).isZero();
    assertThat(body.getTruncated()).isFalse();
  }

  @Test
  void aDeclaredLengthSizesTheArraySoTheBodyIsCopiedOnce() {
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.expect("65583");
    byte[] sent = new byte[65_583];
    new java.util.Random(7).nextBytes(sent);
    for (int at = 0; at < sent.length; at += 8192) {
      capture.append(Buffer.buffer(java.util.Arrays.copyOfRange(sent, at, Math.min(sent.length, at + 8192))));
    }
    Body body = capture.toBody(null, null);
    assertThat(body.getData().toByteArray()).isEqualTo(sent);
    assertThat(body.getTruncated()).isFalse();
    // The recording wraps the array: one of exactly the body's length, not a doubled one.
    assertThat(capture.capacity()).isEqualTo(65_583);
  }

  @Test
  void aDeclaredLengthThatIsWrongOrHugeCostsNoMoreThanTheBytesThatCome() {
    BodyCapture lying = new BodyCapture(1L << 30);
    lying.expect("1073741824");
    assertThat(lying.capacity()).isZero(); // nothing allocated before bytes come
    lying.append(Buffer.buffer("tiny"));
    assertThat(lying.capacity()).isEqualTo(BodyCapture.MAX_PRESIZE);
    assertThat(lying.toBody(null, null).getData().toStringUtf8()).isEqualTo("tiny");

    BodyCapture short_ = new BodyCapture(1 << 20);
    short_.expect("3");
    short_.append(Buffer.buffer("more than three"));
    assertThat(short_.toBody(null, null).getData().toStringUtf8()).isEqualTo("more than three");

    BodyCapture garbage = new BodyCapture(1 << 20);
    garbage.expect("12, 12");
    garbage.append(Buffer.buffer("ok"));
    assertThat(garbage.toBody(null, null).getSize()).isEqualTo(2);

    BodyCapture limited = new BodyCapture(10);
    limited.expect("100");
    limited.append(Buffer.buffer("0123456789abc"));
    assertThat(limited.capacity()).isEqualTo(10);
    assertThat(limited.toBody(null, null).getTruncated()).isTrue();
  }

  @Test
  void adoptedAndCopiedChunksKeepTheirOrder() {
    String adoptedOne = "a".repeat(BodyCapture.MIN_ADOPTED_BYTES);
    String adoptedTwo = "b".repeat(BodyCapture.MIN_ADOPTED_BYTES + 1);
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.append(Buffer.buffer("copied one;"));
    capture.adopt(Buffer.buffer(adoptedOne));
    capture.append(Buffer.buffer("copied two;"));
    capture.append(Buffer.buffer("copied three;"));
    capture.adopt(Buffer.buffer(adoptedTwo));
    capture.adopt(Buffer.buffer("small, copied;"));
    Body body = capture.toBody(null, null);
    assertThat(body.getData().toStringUtf8())
        .isEqualTo("copied one;" + adoptedOne + "copied two;copied three;" + adoptedTwo + "small, copied;");
    assertThat(body.getSize()).isEqualTo(body.getData().size());
    assertThat(body.getTruncated()).isFalse();
  }

  @Test
  void aLargeChunkIsSharedNotCopiedAndASmallOneIsCopied() {
    // As Vert.x hands over a read: a heap buffer of its own (VertxHandler.safeBuffer).
    Buffer large = Buffer.buffer("L".repeat(BodyCapture.MIN_ADOPTED_BYTES));
    Buffer small = Buffer.buffer("s".repeat(BodyCapture.MIN_ADOPTED_BYTES - 1));
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.adopt(large);
    capture.adopt(small);
    large.setByte(0, (byte) 'A');
    small.setByte(0, (byte) 'B');
    // The recording sees the large array itself (nothing copied on the event loop) and a copy of
    // the small one.
    String kept = capture.toBody(null, null).getData().toStringUtf8();
    assertThat(kept).startsWith("AL").contains("Ls").doesNotContain("B");
    // Only the small chunk went into the capture's own array.
    assertThat(capture.capacity()).isBetween(BodyCapture.MIN_ADOPTED_BYTES - 1, BodyCapture.MIN_ADOPTED_BYTES);
  }

  @Test
  void aChunkVertxDoesNotOwnIsCopiedWhenAdopted() {
    byte[] directBytes = "d".repeat(BodyCapture.MIN_ADOPTED_BYTES).getBytes(StandardCharsets.UTF_8);
    io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer(directBytes.length).writeBytes(directBytes);
    // A heap buffer Vert.x passed on as Netty made it may be a slice of the decoder's own buffer.
    byte[] shared = "u".repeat(BodyCapture.MIN_ADOPTED_BYTES).getBytes(StandardCharsets.UTF_8);
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.adopt(Buffer.buffer(direct));
    capture.adopt(Buffer.buffer(io.netty.buffer.Unpooled.wrappedBuffer(shared)));
    direct.setByte(0, 'D');
    shared[0] = 'U';
    assertThat(capture.toBody(null, null).getData().toStringUtf8())
        .isEqualTo("d".repeat(BodyCapture.MIN_ADOPTED_BYTES) + "u".repeat(BodyCapture.MIN_ADOPTED_BYTES));
    direct.release();
  }

  @Test
  void theLimitCutsInsideAnAdoptedChunk() {
    int n = BodyCapture.MIN_ADOPTED_BYTES;
    BodyCapture capture = new BodyCapture(2L * n + 10);
    capture.adopt(Buffer.buffer("a".repeat(n)));
    capture.append(Buffer.buffer("0123456789"));
    capture.adopt(Buffer.buffer("b".repeat(n + 5)));
    capture.adopt(Buffer.buffer("c".repeat(n)));
    capture.append(Buffer.buffer("tail"));
    Body body = capture.toBody(null, null);
    assertThat(body.getData().toStringUtf8()).isEqualTo("a".repeat(n) + "0123456789" + "b".repeat(n));
    assertThat(body.getSize()).isEqualTo(3L * n + 10 + 5 + 4);
    assertThat(body.getTruncated()).isTrue();
  }

  @Test
  void aCopyAfterAnAdoptedChunkIsSizedFromWhatIsLeftOfTheDeclaredLength() {
    int n = BodyCapture.MIN_ADOPTED_BYTES;
    BodyCapture capture = new BodyCapture(1 << 20);
    capture.expect(String.valueOf(n + 100));
    capture.adopt(Buffer.buffer(new byte[n]));
    capture.append(Buffer.buffer(new byte[40]));
    assertThat(capture.capacity()).isEqualTo(100);
    capture.append(Buffer.buffer(new byte[60]));
    assertThat(capture.capacity()).isEqualTo(100);
    assertThat(capture.toBody(null, null).getData().size()).isEqualTo(n + 100);
  }
}
