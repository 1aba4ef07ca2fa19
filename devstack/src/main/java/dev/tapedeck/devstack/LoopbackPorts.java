package dev.tapedeck.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;

/** Port checks on 127.0.0.1, where everything the dev stack starts listens. */
public final class LoopbackPorts {
  /** The only address the dev stack binds to. */
  public static final String HOST = "127.0.0.1";

  private LoopbackPorts() {}

  /** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
  public static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
    }
  }

  /**
   * A free port other than {@code taken}: the OS may hand out a port again as soon as its probe
   * socket closes, so ports chosen for one start must be told apart.
   */
  public static int freeExcept(int... taken) {
    while (true) {
      int port = free();
      if (Arrays.stream(taken).noneMatch(t -> t == port)) {
        return port;
      }
    }
  }

  /** Whether a server could bind {@code port} on 127.0.0.1 right now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Fails with a message naming what wanted the port if {@code port} is taken.
   *
   * @param what what the port is for, e.g. "Kafka"
   * @param flag the flag that chooses another port, or null if there is none
   * @throws StackStartException if the port is in use
   */
  public static void requireFree(int port, String what, String flag) {
    if (!isFree(port)) {
      throw new StackStartException(
          "Port "
              + port
              + " ("
              + what
              + ") on "
              + HOST
              + " is already in use. Is another"
              + " Tapedeck stack running? Stop it"
              + (flag == null ? "" : ", or pass " + flag + " to choose another port")
              + ".");
    }
  }
}
