package dev.tapedeck.control.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarEntriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String entry(String url, int bodyChars) {
    return "{\"request\":{\"method\":\"GET\",\"url\":\"" + url + "\"},\"response\":{\"status\":200,"
        + "\"content\":{\"text\":\"" + "x".repeat(bodyChars) + "\"}}}";
  }

  private static HarEntries read(String har, long cap) {
    return new HarEntries(JSON, new ByteArrayInputStream(har.getBytes(StandardCharsets.UTF_8)), cap);
  }

  @Test
  void anEntryOverTheCapIsSkippedAndReportedAndTheNextOnesAreRead() {
    String har = "{\"log\":{\"version\":\"1.2\",\"entries\":["
        + entry("http://a/1", 10) + "," + entry("http://a/big", 100_000) + "," + entry("http://a/3", 10)
        + "]}}";
    List<String> urls = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (HarEntries entries = read(har, 10_000)) {
      while (entries.hasNext()) {
        try {
          JsonNode e = entries.next();
          urls.add(e.path("request").path("url").asText());
        } catch (HarEntries.Oversized e) {
          problems.add(e.getMessage());
        }
      }
    }
    assertThat(urls).containsExactly("http://a/1", "http://a/3");
    assertThat(problems).singleElement().asString().contains("per-entry cap of 10000 bytes");
  }

  @Test
  void countsEntriesWithoutKeepingThem() {
    StringBuilder har = new StringBuilder("{\"log\":{\"pages\":[{\"id\":1}],\"entries\":[");
    for (int i = 0; i < 50; i++) {
      har.append(i == 0 ? "" : ",").append(entry("http://a/" + i, 1000));
    }
    har.append("]}}");
    try (HarEntries entries = read(har.toString(), 10)) {
      assertThat(entries.countRemaining()).isEqualTo(50);
    }
  }

  @Test
  void notAHarIsRefusedWhole() {
    assertThat(catchThrowable(() -> read("{\"nope\":1}", 100))).isInstanceOf(HarEntries.BadHarException.class);
  }
}
