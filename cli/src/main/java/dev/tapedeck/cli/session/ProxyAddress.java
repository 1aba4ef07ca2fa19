package dev.tapedeck.cli.session;

import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where clients reach a session's proxy port: {@code --proxy-host}, else {@code
 * TAPEDECK_PROXY_HOST}, else the API's host (on one machine, and with {@code make run}, the proxy
 * listens beside control). On Kubernetes it is the proxy Service's load balancer address.
 */
public final class ProxyAddress {
  @Option(
      names = "--proxy-host",
      paramLabel = "HOST",
      description = "Host clients reach the session's port on (TAPEDECK_PROXY_HOST; default: the API's host).")
  String proxyHost;

  /** {@code http://host:port} of the session's listener. */
  public String url(Map<String, String> env, String apiUrl, int port) {
    String host = proxyHost;
    if (host == null || host.isBlank()) {
      host = env.get("TAPEDECK_PROXY_HOST");
    }
    if (host == null || host.isBlank()) {
      host = URI.create(apiUrl).getHost();
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port;
  }
}
