package dev.tapedeck.control.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseDetectorTest {
  private static EntryView entry(int n, String url, String json, String requestId) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    CapturedExchange x =
        CapturedExchange.newBuilder()
            .setEntryId("e" + n)
            .setSessionId("s")
            .setEntryType(EntryType.HTTP)
            .setRequest(CapturedRequest.newBuilder().setMethod("GET").setUrl(url))
            .setResponse(
                CapturedResponse.newBuilder()
                    .setStatusCode(200)
                    .addHeaders(Header.newBuilder().setName("Content-Type").setValue("application/json"))
                    .addHeaders(Header.newBuilder().setName("X-Trace").setValue(requestId))
                    .setBody(Body.newBuilder().setData(ByteString.copyFrom(body)).setSize(body.length).setContentType("application/json")))
            .build();
    return EntryView.of(StoredEntry.newBuilder().setExchange(x).setSequence(n).build());
  }

  @Test
  void valuesThatDifferBetweenRecordingsOfTheSameRequestBecomeNoise() {
    NoiseDetector detector = new NoiseDetector();
    detector.observe(entry(1, "http://a/items", "{\"items\":[{\"v\":1,\"nonce\":\"x1\"}],\"name\":\"n\"}", "t1"));
    detector.observe(entry(2, "http://a/other", "{\"name\":\"other\"}", "t9"));
    detector.observe(entry(3, "http://a/items", "{\"items\":[{\"v\":1,\"nonce\":\"x2\"}],\"name\":\"n\"}", "t2"));
    NoiseSet learned = detector.learned(NoiseSet.defaults());
    assertThat(learned.jsonPaths()).containsExactly("$.items[*].nonce");
    assertThat(learned.headers()).contains("X-Trace", "Date").doesNotContain("Content-Type");
    assertThat(learned.valueShapes()).isEqualTo(List.of("timestamp", "uuid"));
  }
}
