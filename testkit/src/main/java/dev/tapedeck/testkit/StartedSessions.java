package dev.tapedeck.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The sessions a test started, so that it deletes them (and their entries) afterwards and leaves
 * the shared system's port window and per-user limits as it found them.
 */
public final class StartedSessions {
  private final List<String> ids = new ArrayList<>();

  /** Starts a session with {@code body} (a start request), requiring 201; returns the session. */
  public JsonNode start(ApiClient api, String body) throws IOException, InterruptedException {
    JsonNode session = api.call("POST", "/api/v1/recorder/start", body, 201).get("session");
    ids.add(session.get("id").asText());
    return session;
  }

  /** Deletes every session started so far. */
  public void deleteAll(ApiClient api) throws IOException, InterruptedException {
    for (String id : ids) {
      api.send("DELETE", "/api/v1/recorder/" + id, null);
    }
    ids.clear();
  }
}
