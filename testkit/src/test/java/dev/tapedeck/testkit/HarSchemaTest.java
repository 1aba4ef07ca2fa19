package dev.tapedeck.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HarSchemaTest {

  private static final String ENTRY =
      """
      {
        "startedDateTime": "2025-01-02T03:04:05.678Z",
        "time": 12,
        "request": {
          "method": "GET", "url": "http://example.test/a?b=c", "httpVersion": "HTTP/1.1",
          "cookies": [], "headers": [{"name": "Host", "value": "example.test"}],
          "queryString": [{"name": "b", "value": "c"}], "headersSize": -1, "bodySize": 0
        },
        "response": {
          "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
          "headers": [], "content": {"size": 2, "mimeType": "text/plain", "text": "ok"},
          "redirectURL": "", "headersSize": -1, "bodySize": 2
        },
        "cache": {},
        "timings": {"send": 1, "wait": 10, "receive": 1},
        "serverIPAddress": "127.0.0.1"
      }
      """;

  private static String har(String entry) {
    return """
    {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [%s]}}
    """
        .formatted(entry);
  }

  @Test
  void minimalValidHarPasses() {
    assertEquals(List.of(), HarSchema.validate(har(ENTRY)));
    assertEquals(List.of(), HarSchema.validate(har("")));
  }

  @Test
  void entryWithoutRequestFails() {
    String withoutRequest =
        ENTRY.replaceFirst("(?s)\"request\": \\{.*?},\\s*\"response\"", "\"response\"");
    List<String> errors = HarSchema.validate(har(withoutRequest));
    assertFalse(errors.isEmpty());
    assertTrue(errors.stream().anyMatch(e -> e.contains("request")), errors::toString);
  }

  @Test
  void referencedSchemasAreChecked() {
    // timings.json, reached through log.json and entry.json, requires send, wait and receive.
    List<String> errors = HarSchema.validate(har(ENTRY.replace("\"send\": 1, ", "")));
    assertTrue(errors.stream().anyMatch(e -> e.contains("send")), errors::toString);
  }

  @Test
  void formatsAreAsserted() {
    List<String> errors =
        HarSchema.validate(har(ENTRY.replace("2025-01-02T03:04:05.678Z", "yesterday")));
    assertTrue(errors.stream().anyMatch(e -> e.contains("startedDateTime")), errors::toString);
  }

  @Test
  void textThatIsNotJsonIsReported() {
    assertEquals(1, HarSchema.validate("{\"log\": ").size());
  }
}
