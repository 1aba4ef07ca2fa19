package dev.tapedeck.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {
  @Test
  void freePortCanBeBoundAndATakenOneIsReported() throws Exception {
    int port = Ports.free();
    assertThat(Ports.isFree(port)).isTrue();
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      assertThat(Ports.isFree(port)).isFalse();
    }
  }

  @Test
  void freeBlockIsAllFreeAndInRange() {
    PortRange block = Ports.freeBlock(50);
    assertThat(block.size()).isEqualTo(50);
    assertThat(block.min()).isBetween(20000, 60000);
    for (int port = block.min(); port <= block.max(); port++) {
      assertThat(Ports.isFree(port)).as("port %d", port).isTrue();
    }
    assertThat(block.contains(block.min())).isTrue();
    assertThat(block.contains(block.max() + 1)).isFalse();
  }
}
