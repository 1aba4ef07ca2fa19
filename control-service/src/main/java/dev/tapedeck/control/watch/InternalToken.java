package dev.tapedeck.control.watch;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The secret the control plane shares with its proxy pods ({@code tapedeck.internal.token}, env
 * {@code TAPEDECK_INTERNAL_TOKEN}). gRPC shares the API's port, so what only proxy pods may have
 * (the interception CA's private key) is given only to a caller that presents it. Without a
 * configured token nothing is given.
 */
@ApplicationScoped
public class InternalToken {
  private final byte[] expected;

  public InternalToken(@ConfigProperty(name = "tapedeck.internal.token") Optional<String> token) {
    this.expected = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
  }

  public boolean configured() {
    return expected != null;
  }

  /** Whether {@code presented} is the token, compared in constant time. */
  public boolean matches(String presented) {
    return expected != null
        && presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
  }
}
