package dev.tapedeck.control.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tapedeck.control.api.ApiException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortPoolTest {

  @Test
  void autoAssignsTheLowestPortNotHeldAndNotBound() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int base = taken.getLocalPort();
      PortPool pool = new PortPool(base, base + 5);
      // base is bound by another program here, base+1 is held by a running session.
      assertThat(pool.lease(0, Set.of(base + 1))).isGreaterThan(base + 1);
    }
  }

  @Test
  void explicitPortThatIsTakenIsAConflict() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();
      PortPool pool = new PortPool(port, port);
      ApiException e = catchThrowableOfType(ApiException.class, () -> pool.lease(port, Set.of()));
      assertThat(e.status()).isEqualTo(409);
      assertThat(e.code()).isEqualTo("port_in_use");
    }
  }

  @Test
  void fullWindowIsAConflict() {
    PortPool pool = new PortPool(40001, 40002);
    ApiException e = catchThrowableOfType(ApiException.class, () -> pool.lease(0, Set.of(40001, 40002)));
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.code()).isEqualTo("no_free_port");
  }
}
