package dev.tapedeck.converter.export.har;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.TunnelInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CONNECT tunnels in HAR. HAR wants an absolute URL, and a tunnel's target is only {@code
 * host:port}; since a forward proxy sees plain HTTP as absolute-URI requests, what it tunnels is
 * TLS in practice, so the URL is written {@code https://host:port}. The exact target and the bytes
 * relayed each way go into the custom field {@code _tunnel}.
 */
final class HarTunnels {

  private HarTunnels() {}

  /** The tunnel's URL for HAR: {@code https://host:port}, IPv6 literals in brackets. */
  static String url(CapturedExchange exchange) {
    TunnelInfo tunnel = exchange.getTunnel();
    if (tunnel.getHost().isEmpty()) {
      return "https://" + exchange.getRequest().getUrl();
    }
    String host = tunnel.getHost().contains(":") ? "[" + tunnel.getHost() + "]" : tunnel.getHost();
    return "https://" + host + ":" + tunnel.getPort();
  }

  /** The {@code _tunnel} field: host, port, bytesClientToServer, bytesServerToClient. */
  static Map<String, Object> info(TunnelInfo tunnel) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("host", tunnel.getHost());
    info.put("port", tunnel.getPort());
    info.put("bytesClientToServer", tunnel.getBytesClientToServer());
    info.put("bytesServerToClient", tunnel.getBytesServerToClient());
    return info;
  }
}
