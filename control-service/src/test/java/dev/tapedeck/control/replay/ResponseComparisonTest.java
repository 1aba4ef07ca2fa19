package dev.tapedeck.control.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.correlation.Step.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseComparisonTest {
  private static final Noise DEFAULT_NOISE = new Noise(NoiseSet.defaults());

  private static ReplaySender.Answer answer(int status, List<Header> headers, String body) {
    return new ReplaySender.Answer(status, headers, body.getBytes(StandardCharsets.UTF_8), false, 3.0, "http://x/", null);
  }

  @Test
  void aChangedMemberIsOneDifferenceWithItsJsonPathAndTimeStampsAndUuidsAreNoise() {
    String recorded = "{\"items\":[{\"name\":\"user3\",\"at\":\"2025-01-02T03:04:05Z\",\"id\":\"5f0c6e1a-51b4-4a53-8a0c-2d4f6b1e9f00\"}],\"n\":1.0}";
    String now = "{\"items\":[{\"name\":\"member3\",\"at\":\"2026-12-03T16:00:00.123Z\",\"id\":\"0b7e2d7c-9d5e-4c4e-9a38-1f2e3d4c5b6a\"}],\"n\":1}";
    ResponseComparison.Result r =
        ResponseComparison.compare(200, List.of(new Header("Date", "Thu, 02 Jan 2025 03:04:05 GMT")), recorded,
            answer(200, List.of(new Header("Date", "Thu, 03 Dec 2026 16:00:00 GMT")), now), DEFAULT_NOISE);
    assertThat(r.differences()).extracting(Difference::text).containsExactly("$.items[0].name: \"user3\" -> \"member3\"");
    assertThat(r.noise()).extracting(Difference::path, Difference::reason)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("Date", "header"),
            org.assertj.core.groups.Tuple.tuple("$.items[0].at", "timestamp"),
            org.assertj.core.groups.Tuple.tuple("$.items[0].id", "uuid"));
  }

  @Test
  void statusMissingMembersHeadersAndTextBodiesAreDifferences() {
    ResponseComparison.Result r =
        ResponseComparison.compare(200, List.of(new Header("X-Version", "1"), new Header("Content-Length", "9")),
            "{\"a\":1,\"b\":2}", answer(201, List.of(), "{\"a\":1,\"c\":3}"), DEFAULT_NOISE);
    assertThat(r.differences()).extracting(Difference::text).containsExactly(
        "status: 200 -> 201", "X-Version: \"1\" -> (absent)", "$.b: 2 -> (absent)", "$.c: (absent) -> 3");
    ResponseComparison.Result text =
        ResponseComparison.compare(200, List.of(), "hello", answer(200, List.of(), "bye"), DEFAULT_NOISE);
    assertThat(text.differences()).extracting(Difference::text).containsExactly("$: \"hello\" -> \"bye\"");
  }

  @Test
  void editedNoisePathsMatchExactAnyIndexAndAnywhere() {
    Noise noise = new Noise(new NoiseSet(List.of(), List.of("$.meta.rid", "$.items[*].v", "$..owner"), List.of()));
    ResponseComparison.Result r =
        ResponseComparison.compare(200, List.of(),
            "{\"meta\":{\"rid\":\"a\"},\"items\":[{\"v\":1},{\"v\":2}],\"deep\":{\"owner\":\"x\"},\"at\":\"2025-01-01\"}",
            answer(200, List.of(), "{\"meta\":{\"rid\":\"b\"},\"items\":[{\"v\":3},{\"v\":4}],\"deep\":{\"owner\":\"y\"},\"at\":\"2026-01-01\"}"),
            noise);
    assertThat(r.differences()).extracting(Difference::path).containsExactly("$.at");
    assertThat(r.noise()).extracting(Difference::reason).containsOnly("jsonPath");
  }

  @Test
  void differencesAreListedUpToTheCapAndCountedInFull() {
    StringBuilder a = new StringBuilder("[");
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 150; i++) {
      a.append(i == 0 ? "" : ",").append(i);
      b.append(i == 0 ? "" : ",").append(i + 1000);
    }
    ResponseComparison.Result r =
        ResponseComparison.compare(200, List.of(), a + "]", answer(200, List.of(), b + "]"), DEFAULT_NOISE);
    assertThat(r.differences()).hasSize(ReplayLimits.MAX_DIFFERENCES);
    assertThat(r.differenceCount()).isEqualTo(150);
  }
}
