package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A mock in Tapedeck's mock store: a WireMock 3 stub mapping ({@code definition}) generated from
 * recorded entries, with the fields of the Mockarty reference's mock generation.
 *
 * @param id the prefix given at generation plus the mapping's stable id
 * @param sessionId the session it was generated from (null for a mock created or imported)
 * @param enabled a disabled mock is kept but never answers ({@code POST /{id}/toggle})
 */
public record Mock(
    String id,
    String ownerId,
    String namespace,
    List<String> tags,
    int priority,
    String chainId,
    String sessionId,
    Instant createdAt,
    Instant updatedAt,
    JsonNode definition,
    boolean enabled) {

  /** An enabled mock. */
  public Mock(
      String id,
      String ownerId,
      String namespace,
      List<String> tags,
      int priority,
      String chainId,
      String sessionId,
      Instant createdAt,
      Instant updatedAt,
      JsonNode definition) {
    this(id, ownerId, namespace, tags, priority, chainId, sessionId, createdAt, updatedAt, definition, true);
  }

  public Mock withEnabled(boolean on, Instant now) {
    return new Mock(id, ownerId, namespace, tags, priority, chainId, sessionId, createdAt, now, definition, on);
  }
}
