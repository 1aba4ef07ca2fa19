package dev.tapedeck.policy.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one codec of {@link SessionContract}: the control plane writes with it, proxy pods read with
 * it. Reading is strict: an unknown field, a value of the wrong type or a newer version is refused
 * with a message naming what is at fault, so a pod that cannot apply a session says so (in its
 * listener report) rather than serving it without some of its rules.
 */
public final class SessionCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private SessionCodec() {}

  /** The contract as JSON. */
  public static String write(SessionContract contract) {
    try {
      return JSON.writeValueAsString(contract);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Session contract does not serialize", e);
    }
  }

  /**
   * The contract in {@code json}; {@link SessionContract#DEFAULT} for none (blank).
   *
   * @throws Unreadable when it is not JSON, names no version or a newer one, or holds a field or
   *     value this version does not know
   */
  public static SessionContract read(String json) throws Unreadable {
    if (json == null || json.isBlank()) {
      return SessionContract.DEFAULT;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new Unreadable("the session contract is not JSON: " + e.getOriginalMessage());
    }
    JsonNode version = tree.get("version");
    if (version == null || !version.canConvertToInt()) {
      throw new Unreadable("the session contract names no version");
    }
    if (version.asInt() > SessionContract.VERSION || version.asInt() < 1) {
      throw new Unreadable(
          "the session contract is version "
              + version.asInt()
              + "; this proxy reads versions 1 to "
              + SessionContract.VERSION
              + " (upgrade the proxy pods)");
    }
    if (version.asInt() < SessionContract.PLAYBACK_VERSION && tree.has("playback")) {
      throw new Unreadable(
          "the session contract holds \"playback\", which version " + version.asInt() + " does not have");
    }
    try {
      return JSON.treeToValue(tree, SessionContract.class);
    } catch (UnrecognizedPropertyException e) {
      throw new Unreadable(
          "the session contract holds \"" + path(e) + "\", which this proxy does not know");
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      throw new Unreadable("the session contract cannot be read at \"" + path(e) + "\": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new Unreadable("the session contract cannot be read: " + e.getOriginalMessage());
    }
  }

  private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** A session contract this version cannot apply. */
  public static final class Unreadable extends Exception {
    public Unreadable(String message) {
      super(message);
    }
  }
}
