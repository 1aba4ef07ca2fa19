package dev.tapedeck.control.ports;

import dev.tapedeck.control.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The proxy port window (8081-8999 by default). A port is free when no running session holds it
 * and nothing on this host is bound to it; the caller passes the ports its running sessions hold.
 */
@ApplicationScoped
public class PortPool {
  private final int min;
  private final int max;

  public PortPool(
      @ConfigProperty(name = "tapedeck.proxy.port-min") int min,
      @ConfigProperty(name = "tapedeck.proxy.port-max") int max) {
    this.min = min;
    this.max = max;
  }

  public int min() {
    return min;
  }

  public int max() {
    return max;
  }

  /**
   * The port to use: {@code requested} if it is free (409 otherwise), or the lowest free port of
   * the window when {@code requested} is 0 (409 when the window is full).
   */
  public int lease(int requested, Set<Integer> held) {
    if (requested != 0) {
      if (held.contains(requested)) {
        throw ApiException.conflict(
            "port_in_use", "Port " + requested + " is already used by a running session");
      }
      if (!bindable(requested)) {
        throw ApiException.conflict(
            "port_in_use", "Port " + requested + " is in use by another program on this host");
      }
      return requested;
    }
    for (int port = min; port <= max; port++) {
      if (!held.contains(port) && bindable(port)) {
        return port;
      }
    }
    throw ApiException.conflict(
        "no_free_port", "No free port left in the proxy port window " + min + "-" + max);
  }

  /** Why a port can or cannot be leased: {@code available}, or the reason it is not. */
  public record PortCheck(int port, boolean available, String reason) {}

  /** Whether {@code port} could be leased now, and if not, why. */
  public PortCheck check(int port, Set<Integer> held) {
    if (port < min || port > max) {
      return new PortCheck(port, false, "outside_window");
    }
    if (held.contains(port)) {
      return new PortCheck(port, false, "in_use_by_session");
    }
    if (!bindable(port)) {
      return new PortCheck(port, false, "in_use_on_host");
    }
    return new PortCheck(port, true, null);
  }

  /** Whether nothing on this host listens on {@code port}. */
  public static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
