package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One header modification: {@code add} appends a header line (existing ones stay), {@code replace}
 * sets the value of a header that is present (all its lines become one), {@code remove} drops
 * every line of that name. Names compare case-insensitively.
 *
 * @param secret the value is a credential (a token, a password): the API never shows it back
 *     (it reads {@code "(set)"}) and the control plane keeps it encrypted at rest
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderRule(String action, String name, String value, Boolean secret) {

  public HeaderRule {
    secret = secret != null && secret ? Boolean.TRUE : null;
  }

  /** A rule whose value is not secret. */
  public HeaderRule(String action, String name, String value) {
    this(action, name, value, null);
  }

  /** Whether the value is marked secret. */
  public boolean marksSecret() {
    return secret != null && secret;
  }

  /** The same rule with another value. */
  public HeaderRule withValue(String newValue) {
    return new HeaderRule(action, name, newValue, secret);
  }
}
