package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * HTTPS interception of a forward-mode session: with {@code enabled}, a {@code CONNECT} is
 * answered with a leaf certificate the Tapedeck CA signs for the requested host, and the
 * decrypted exchanges are recorded like plain ones.
 *
 * @param passthroughHosts host globs whose tunnels are relayed without interception (clients that
 *     pin certificates)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mitm(Boolean enabled, List<String> passthroughHosts) {
  public static final Mitm OFF = new Mitm(false, List.of());

  public Mitm {
    enabled = enabled != null && enabled;
    passthroughHosts = passthroughHosts == null ? List.of() : List.copyOf(passthroughHosts);
  }

  public boolean on() {
    return enabled;
  }
}
