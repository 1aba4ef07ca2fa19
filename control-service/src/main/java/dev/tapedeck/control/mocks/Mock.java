package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A mock in Tapedeck's mock store: a WireMock 3 stub mapping ({@code definition}) generated from
 * recorded entries, with the fields of the Mockarty reference's mock generation.
 *
 * @param id the prefix given at generation plus the mapping's stable id
 * @param sessionId the session it was generated from
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
    JsonNode definition) {}
