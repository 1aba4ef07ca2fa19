package dev.tapedeck.internalauth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The secret every internal gRPC call carries ({@code tapedeck.internal.token}, env {@code
 * TAPEDECK_INTERNAL_TOKEN}): the services' gRPC clients send it as {@code authorization: Bearer
 * <token>}, their gRPC servers refuse calls without it. It is required unless {@code
 * tapedeck.internal.auth.enabled=false} switches the check off on purpose (a single-user machine);
 * a required token that is missing or shorter than {@value #MIN_LENGTH} characters stops the
 * service at start, saying so.
 */
@Singleton
public class InternalToken {
  /** The token's setting. */
  public static final String PROPERTY = "tapedeck.internal.token";

  /** The setting that switches the check off. */
  public static final String ENABLED_PROPERTY = "tapedeck.internal.auth.enabled";

  /** Shortest token accepted: `make run` and the Helm chart generate 48 characters. */
  public static final int MIN_LENGTH = 32;

  /** The scheme of the {@code authorization} header the token is sent in. */
  public static final String BEARER = "Bearer ";

  private static final Logger LOG = Logger.getLogger(InternalToken.class);

  private final String token;
  private final byte[] expected;
  private final boolean required;

  /**
   * @throws IllegalStateException when the token is required and missing or too short
   */
  @Inject
  public InternalToken(
      @ConfigProperty(name = PROPERTY) Optional<String> token,
      @ConfigProperty(name = ENABLED_PROPERTY, defaultValue = "true") boolean required) {
    this.token = token.map(String::strip).filter(t -> !t.isEmpty()).orElse(null);
    this.expected = this.token == null ? null : this.token.getBytes(StandardCharsets.UTF_8);
    this.required = required;
    if (required && this.token == null) {
      throw new IllegalStateException(
          PROPERTY
              + " (env TAPEDECK_INTERNAL_TOKEN) is not set: every internal gRPC call needs it. Give"
              + " every service the same random token of at least "
              + MIN_LENGTH
              + " characters, or set "
              + ENABLED_PROPERTY
              + "=false to switch the check off on a machine nobody else can reach.");
    }
    if (required && this.token.length() < MIN_LENGTH) {
      throw new IllegalStateException(
          PROPERTY + " is " + this.token.length() + " characters long; at least " + MIN_LENGTH + " are needed.");
    }
  }

  /** A token for tests and tools: {@code token} may be null. */
  public static InternalToken of(String token, boolean required) {
    return new InternalToken(Optional.ofNullable(token), required);
  }

  /** Says at start whether internal gRPC is authenticated (and instantiates the bean early). */
  void announce(@Observes StartupEvent event) {
    if (required) {
      LOG.info("Internal gRPC: every call needs the internal token");
    } else {
      LOG.warnf(
          "Internal gRPC authentication is OFF (%s=false): anyone who reaches the gRPC port can call it",
          ENABLED_PROPERTY);
    }
  }

  /** Whether servers refuse calls without the token. */
  public boolean required() {
    return required;
  }

  /** Whether a token is set. */
  public boolean configured() {
    return token != null;
  }

  /** The token, for the clients to send; empty when none is set. */
  public Optional<String> value() {
    return Optional.ofNullable(token);
  }

  /** Whether {@code presented} is the token, compared in constant time; false when none is set. */
  public boolean matches(String presented) {
    return expected != null
        && presented != null
        && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether an {@code authorization} header value is {@code Bearer <token>}. */
  public boolean acceptsAuthorization(String header) {
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    return matches(header.substring(BEARER.length()));
  }
}
