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
    return text(policies, "Policies");
  }

  /** The stored policies; none for a session stored before policies existed. */
  public static Policies read(String json) {
    return parse(json, Policies.class, Policies.NONE, "policies");
  }

  public static String writeTransport(Transport transport) {
    return text(transport, "Transport settings");
  }

  /** The stored transport settings; direct for a session stored before they existed. */
  public static Transport readTransport(String json) {
    return parse(json, Transport.class, Transport.DIRECT, "transport settings");
  }

  private static String text(Object value, String what) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(what + " do not serialize", e);
    }
  }

  private static <T> T parse(String json, Class<T> type, T absent, String what) {
    if (json == null || json.isEmpty()) {
      return absent;
    }
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Stored " + what + " do not parse", e);
    }
  }
}
