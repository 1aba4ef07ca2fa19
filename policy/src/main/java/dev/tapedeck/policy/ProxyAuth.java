package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A credential a client must present to use a session's port, for ports on shared balancers. In
 * forward mode, {@code username} and {@code password} checked against {@code Proxy-Authorization:
 * Basic} (407 when missing or wrong); in reverse mode, the request header {@code header} must
 * carry {@code value} (401). The password and the value are secrets: never shown back by the API
 * ({@code "(set)"}), and the header is removed before the request goes upstream or is recorded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProxyAuth(String username, String password, String header, String value) {
  /** What the API shows instead of a secret. */
  public static final String SET = "(set)";

  /** This credential as the API shows it: the secrets replaced by a marker. */
  public ProxyAuth redacted() {
    return new ProxyAuth(username, password == null ? null : SET, header, value == null ? null : SET);
  }

  /** Whether a {@code Proxy-Authorization} header value carries this username and password. */
  public boolean acceptsBasic(String proxyAuthorization) {
    if (proxyAuthorization == null || username == null || password == null) {
      return false;
    }
    String v = proxyAuthorization.trim();
    if (v.length() < 6 || !v.substring(0, 6).equalsIgnoreCase("basic ")) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(v.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, (username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a header value equals {@link #value}, compared in constant time. */
  public boolean acceptsHeader(String given) {
    return given != null
        && value != null
        && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }
}
