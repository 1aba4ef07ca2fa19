package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A body replacement: every occurrence of {@code match} (plain text, or a regex with {@code
 * isRegex}) in a textual body becomes {@code replace}. Compressed bodies are decoded first and
 * encoded again with the same coding; Content-Length is fixed.
 *
 * @param target which bodies: {@code response} (default, as in the Mockarty recorder), {@code
 *     request} or {@code both}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BodyReplacement(
    String match, String replace, @JsonProperty("isRegex") Boolean isRegex, String target) {

  public boolean regex() {
    return isRegex != null && isRegex;
  }

  public boolean onRequest() {
    return "request".equals(target) || "both".equals(target);
  }

  public boolean onResponse() {
    return target == null || "response".equals(target) || "both".equals(target);
  }
}
