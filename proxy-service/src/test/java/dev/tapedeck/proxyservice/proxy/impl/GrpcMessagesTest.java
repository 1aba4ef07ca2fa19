package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrpcMessagesTest {

  /** A length-prefixed message as it is on the wire. */
  private static Buffer message(boolean compressed, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendByte((byte) (compressed ? 1 : 0)).appendInt(data.length).appendBytes(data);
  }

  private static List<String> texts(List<GrpcMessages.Message> messages) {
    return messages.stream().map(m -> m.data().toString(StandardCharsets.UTF_8)).toList();
  }

  @Test
  void splitsSeveralMessagesInOneChunk() {
    GrpcMessages parser = new GrpcMessages(1024);
    List<GrpcMessages.Message> messages =
        parser.feed(message(false, "one").appendBuffer(message(false, "two")).appendBuffer(message(false, "three")));
    assertThat(texts(messages)).containsExactly("one", "two", "three");
    assertThat(messages.get(2).size()).isEqualTo(5);
    assertThat(messages.get(2).truncated()).isFalse();
  }

  @Test
  void joinsAMessageWhosePrefixAndBodyArriveOneByteAtATime() {
    GrpcMessages parser = new GrpcMessages(1024);
    Buffer wire = message(false, "hello").appendBuffer(message(true, "world"));
    List<GrpcMessages.Message> messages = new ArrayList<>();
    for (int i = 0; i < wire.length(); i++) {
      List<GrpcMessages.Message> done = parser.feed(wire.slice(i, i + 1));
      if (i == 9) {
        assertThat(texts(done)).containsExactly("hello");
      } else if (i < wire.length() - 1) {
        assertThat(done).isEmpty();
      }
      messages.addAll(done);
    }
    assertThat(texts(messages)).containsExactly("hello", "world");
    assertThat(messages).extracting(GrpcMessages.Message::compressed).containsExactly(false, true);
  }

  @Test
  void completesAMessageWhenThePrefixIsSplitBetweenChunks() {
    GrpcMessages parser = new GrpcMessages(1024);
    Buffer wire = message(false, "first").appendBuffer(message(false, "second"));
    // The first chunk ends two bytes into the second message's prefix.
    assertThat(texts(parser.feed(wire.slice(0, 12)))).containsExactly("first");
    assertThat(texts(parser.feed(wire.slice(12, wire.length())))).containsExactly("second");
  }

  @Test
  void keepsOnlyTheFirstBytesOfAMessageLargerThanTheLimitAndItsFullSize() {
    GrpcMessages parser = new GrpcMessages(4);
    Buffer wire = message(false, "0123456789").appendBuffer(message(false, "ab"));
    List<GrpcMessages.Message> messages = new ArrayList<>(parser.feed(wire.slice(0, 8)));
    messages.addAll(parser.feed(wire.slice(8, wire.length())));
    assertThat(texts(messages)).containsExactly("0123", "ab");
    assertThat(messages.get(0).size()).isEqualTo(10);
    assertThat(messages.get(0).truncated()).isTrue();
    assertThat(messages.get(1).truncated()).isFalse();
  }

  @Test
  void recordsAnEmptyMessage() {
    GrpcMessages parser = new GrpcMessages(1024);
    List<GrpcMessages.Message> messages = parser.feed(message(false, "").appendBuffer(message(false, "x")));
    assertThat(texts(messages)).containsExactly("", "x");
    assertThat(messages.get(0).size()).isZero();
  }

  @Test
  void recognisesGrpcContentTypesButNotGrpcWeb() {
    assertThat(GrpcCapture.isGrpc("application/grpc")).isTrue();
    assertThat(GrpcCapture.isGrpc("application/grpc+proto")).isTrue();
    assertThat(GrpcCapture.isGrpc("Application/GRPC+json; charset=utf-8")).isTrue();
    assertThat(GrpcCapture.isGrpc("application/grpc-web+proto")).isFalse();
    assertThat(GrpcCapture.isGrpc("application/json")).isFalse();
    assertThat(GrpcCapture.isGrpc(null)).isFalse();
  }
}
