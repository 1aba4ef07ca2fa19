package dev.tapedeck.control.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.entries.EntryView;
import java.util.Map;

/**
 * The live stream's messages, in the Mockarty recorder's shapes: {@code {"type":"entry","entry":
 * {...}}} for a stored entry, and the {@code __evict__} entry naming the evicted one in
 * {@code notes}.
 */
final class LiveMessages {
  static final String EVICT_ID = "__evict__";

  private final ObjectMapper json;

  LiveMessages(ObjectMapper json) {
    this.json = json;
  }

  String stored(EntryView entry) {
    return write(Map.of("type", "entry", "entry", entry));
  }

  String evicted(String entryId) {
    return write(Map.of("type", "entry", "entry", Map.of("id", EVICT_ID, "notes", entryId)));
  }

  private String write(Object message) {
    try {
      return json.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A live message does not serialize", e);
    }
  }
}
