package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A session's DNS map sends upstream connections for a name to another address, in both modes. */
class DnsMapTest extends PolicyTestBase {

  private SessionSettings forward(String policiesJson) {
    return SessionSettings.of(
        ProxySession.newBuilder()
            .setId("s1")
            .setMode("forward")
            .setRecord(true)
            .setCaptureBodyLimitBytes(1 << 20)
            .setConfigJson("{\"version\":1,\"policies\":" + policiesJson + "}")
            .setRevision(1)
            .build());
  }

  @Test
  void forwardModeConnectsToTheMappedAddressAndKeepsTheNameInHostAndEntry() throws Exception {
    int port = startProxy(forward("{\"dnsMap\":{\"Mapped.Test\":\"127.0.0.1\"}}"));
    String raw =
        rawExchange(
            port,
            "GET http://mapped.test:" + upstreamPort() + "/hello?name=dns HTTP/1.1\r\nHost: mapped.test:"
                + upstreamPort() + "\r\n\r\n");
    assertThat(raw).startsWith("HTTP/1.1 200").endsWith("{\"hello\":\"dns\"}");
    assertThat(upstreamHeaders.get(0).get("Host")).isEqualTo("mapped.test:" + upstreamPort());
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getUrl()).isEqualTo("http://mapped.test:" + upstreamPort() + "/hello?name=dns");
    assertThat(x.getServerAddress()).startsWith("127.0.0.1:");
  }

  @Test
  void connectTunnelsGoToTheMappedAddress() throws Exception {
    int port = startProxy(forward("{\"dnsMap\":{\"tunnel.test\":\"127.0.0.1\"}}"));
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("CONNECT tunnel.test:" + upstreamPort() + " HTTP/1.1\r\nHost: tunnel.test\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      assertThat(readHead(in)).startsWith("HTTP/1.1 200");
      out.write("GET /hello?name=tunnel HTTP/1.1\r\nHost: tunnel.test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(readHead(in)).startsWith("HTTP/1.1 200");
    }
  }
}
