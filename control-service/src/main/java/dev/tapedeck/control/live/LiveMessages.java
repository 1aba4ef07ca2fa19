package dev.tapedeck.control.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.entries.BodyView;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.proto.capture.v1.EntryEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live stream's messages, in the Mockarty recorder's shapes: {@code {"type":"entry","entry":
 * {...}}} for a stored entry (a summary: id, method, URL, status, body sizes and timings, never
 * the headers or bodies; {@code GET /{id}/entries/{entryId}} has those), the {@code __evict__}
 * entry naming the evicted one in {@code notes}, and {@code {"type":"closed",...}} as the last
 * message of a stream the server ends.
 */
public final class LiveMessages {
  static final String EVICT_ID = "__evict__";

  private final ObjectMapper json;

  LiveMessages(ObjectMapper json) {
    this.json = json;
  }

  /** A stored entry as the live stream shows it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record EntrySummary(
      String id,
      String sessionId,
      long sequence,
      String entryType,
      String startedAt,
      double durationMs,
      RequestSummary request,
      ResponseSummary response,
      EntryView.TimingsView timings,
      String error) {

    static EntrySummary of(EntryView e) {
      return new EntrySummary(
          e.id(),
          e.sessionId(),
          e.sequence(),
          e.entryType(),
          e.startedAt(),
          e.durationMs(),
          e.request() == null ? null : new RequestSummary(e.request().method(), e.request().url(), size(e.request().body())),
          e.response() == null
              ? null
              : new ResponseSummary(e.response().statusCode(), e.response().statusText(), size(e.response().body())),
          e.timings(),
          e.error());
    }

    private static long size(BodyView body) {
      return body == null ? 0 : body.size();
    }
  }

  /** The request line and the body's size (absent when only the event's summary was at hand). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RequestSummary(String method, String url, Long bodySize) {}

  /** The status and the body's size. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResponseSummary(int statusCode, String statusText, Long bodySize) {}

  String stored(EntryView entry) {
    return write(Map.of("type", "entry", "entry", EntrySummary.of(entry)));
  }

  /**
   * A stored entry from what its event carries, for when storage cannot be asked for the rest:
   * the row shows without body sizes and timings, which the entry's own page then has.
   */
  String stored(EntryEvent event) {
    dev.tapedeck.proto.capture.v1.EntrySummary s = event.getSummary();
    EntrySummary summary =
        new EntrySummary(
            event.getEntryId(),
            event.getSessionId(),
            event.getSequence(),
            EntryView.entryType(s.getEntryType()),
            EntryView.instant(s.getStartedAtUnixMicros()),
            s.getDurationMs(),
            new RequestSummary(s.getMethod(), s.getUrl(), null),
            s.getStatusCode() == 0 ? null : new ResponseSummary(s.getStatusCode(), null, null),
            null,
            null);
    return write(Map.of("type", "entry", "entry", summary));
  }

  String evicted(String entryId) {
    return write(Map.of("type", "entry", "entry", Map.of("id", EVICT_ID, "notes", entryId)));
  }

  /** The last message of a stream dropped for not reading. */
  static String slowConsumer(ObjectMapper json, int capacity) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "closed");
    m.put("reason", "slow_consumer");
    m.put("message", slowConsumerText(capacity));
    try {
      return json.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A live message does not serialize", e);
    }
  }

  /** Why a slow consumer was dropped; short enough for a WebSocket close reason (123 bytes). */
  static String slowConsumerText(int capacity) {
    return "slow_consumer: more than " + capacity + " live messages unread; reconnect and read faster";
  }

  private String write(Object message) {
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A live message does not serialize", e);
    }
  }
}
