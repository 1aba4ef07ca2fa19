package dev.tapedeck.control.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.policy.Policies;
import dev.tapedeck.policy.Transport;

/** Policies and transport settings as the JSON texts a stored session keeps them in. */
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

  public static String writeTransport(Transport transport) {
    try {
      return JSON.writeValueAsString(transport);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Transport settings do not serialize", e);
    }
  }

  /** The stored transport settings; direct for a session stored before they existed. */
  public static Transport readTransport(String json) {
    if (json == null || json.isEmpty()) {
      return Transport.DIRECT;
    }
    try {
      return JSON.readValue(json, Transport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored transport settings do not parse", e);
    }
  }
}
