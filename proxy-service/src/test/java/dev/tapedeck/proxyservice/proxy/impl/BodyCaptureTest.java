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
}
