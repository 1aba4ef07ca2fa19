package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.Header;
import org.junit.jupiter.api.Test;

class RecordFitTest {
  private static final int MIB = 1024 * 1024;

  @Test
  void aCaptureUnderTheLimitIsLeftAsItIs() {
    CapturedExchange small = exchange(1000, 1000);
    assertThat(RecordFit.fit(small, MIB)).isSameAs(small);
  }

  @Test
  void aCaptureOverTheLimitHasItsLargestBodyCutWithTheSizeKept() {
    CapturedExchange big = exchange(10_000, 3 * MIB);
    CapturedExchange fitted = RecordFit.fit(big, MIB);
    assertThat(fitted.getSerializedSize()).isLessThanOrEqualTo(MIB);
    assertThat(fitted.getResponse().getBody().getSize()).isEqualTo(3L * MIB);
    assertThat(fitted.getResponse().getBody().getTruncated()).isTrue();
    assertThat(fitted.getRequest().getBody().getData().size()).isEqualTo(10_000);
    assertThat(fitted.getLoss().getKind()).isEqualTo(RecordFit.TRIMMED);
    assertThat(fitted.getLoss().getBytesLost()).isGreaterThan(2L * MIB - 100);
    assertThat(fitted.getLoss().getReason()).contains(String.valueOf(MIB));
  }

  @Test
  void framesAreCutAndThenDroppedWhenBodiesAreNotEnough() {
    CapturedExchange.Builder stream = exchange(0, 0).toBuilder();
    for (int i = 0; i < 5000; i++) {
      stream.addFrames(Frame.newBuilder().setOpcode(1).setSize(1000).setData(ByteString.copyFrom(new byte[1000])));
    }
    CapturedExchange fitted = RecordFit.fit(stream.build(), 100_000);
    assertThat(fitted.getSerializedSize()).isLessThanOrEqualTo(100_000);
    assertThat(fitted.getLoss().getFramesLost() + fitted.getFramesCount()).isEqualTo(5000);
  }

  @Test
  void aStubKeepsTheHeadsAndSaysWhatWasLost() {
    CapturedExchange big = exchange(500, 2 * MIB);
    CapturedExchange stub = RecordFit.stub(big, "refused");
    assertThat(stub.getEntryId()).isEqualTo(big.getEntryId());
    assertThat(stub.getResponse().getHeadersList()).isEqualTo(big.getResponse().getHeadersList());
    assertThat(stub.getResponse().getBody().getData().isEmpty()).isTrue();
    assertThat(stub.getResponse().getBody().getSize()).isEqualTo(2L * MIB);
    assertThat(stub.getLoss().getKind()).isEqualTo(RecordFit.STUB);
    assertThat(stub.getLoss().getReason()).isEqualTo("refused");
    assertThat(stub.getLoss().getBytesLost()).isEqualTo(2L * MIB + 500);
  }

  private static CapturedExchange exchange(int requestBytes, int responseBytes) {
    return CapturedExchange.newBuilder()
        .setEntryId("e1")
        .setSessionId("s1")
        .setRequest(
            CapturedRequest.newBuilder()
                .setMethod("POST")
                .setUrl("http://upstream/x")
                .addHeaders(Header.newBuilder().setName("Content-Type").setValue("application/json"))
                .setBody(body(requestBytes)))
        .setResponse(
            CapturedResponse.newBuilder()
                .setStatusCode(200)
                .addHeaders(Header.newBuilder().setName("Content-Type").setValue("application/octet-stream"))
                .setBody(body(responseBytes)))
        .build();
  }

  private static Body body(int bytes) {
    return Body.newBuilder().setData(ByteString.copyFrom(new byte[bytes])).setSize(bytes).build();
  }
}
