package dev.tapedeck.control.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.policy.Policies;

/** Policies as the JSON text a stored session keeps them in. */
public final class PolicyJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PolicyJson() {}

  public static String write(Policies policies) {
    try {
      return JSON.writeValueAsString(policies);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Policies do not serialize", e);
    }
  }

  /** The stored policies; none for a session stored before policies existed. */
  public static Policies read(String json) {
    if (json == null || json.isEmpty()) {
      return Policies.NONE;
    }
    try {
      return JSON.readValue(json, Policies.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored policies do not parse", e);
    }
  }
}
