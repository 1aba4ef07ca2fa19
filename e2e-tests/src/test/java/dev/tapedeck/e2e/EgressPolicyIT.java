package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.testkit.ServiceMetrics;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The egress policy, proxy authentication and listener limits against the running system, with
 * the proxy restarted on the cluster defaults (the chart's and the service's own: loopback,
 * link-local and private ranges refused, CONNECT to 443 and 80 only) rather than the local
 * development policy {@code make run} uses; only 127.0.0.2/32 is allowed, where this test's own
 * upstream listens. Each attack a tenant of a shared cluster could try is refused with a 403 and a
 * recorded entry flagged refused; the proxy goes back to its own settings afterwards.
 */
class EgressPolicyIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String CLUSTER_DENY =
      "0.0.0.0/8,127.0.0.0/8,169.254.0.0/16,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,::/128,::1/128,fe80::/10,fc00::/7";

  private static TapedeckSystem system;
  private static ApiClient api;
  private static ServiceProcess proxy;
  private static HttpServer allowed;

  @BeforeAll
  static void clusterDefaults() throws Exception {
    system = TapedeckSystem.shared();
    api = ApiClient.admin(system);
    proxy = system.service("proxy");
    allowed = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 50);
    allowed.createContext(
        "/",
        exchange -> {
          byte[] body = ("allowed saw " + exchange.getRequestURI() + " auth="
                  + exchange.getRequestHeaders().getFirst("X-Tapedeck-Key") + "/"
                  + exchange.getRequestHeaders().getFirst("Proxy-Authorization")).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    allowed.start();
    proxy.restartWith(
        Map.of(
            "TAPEDECK_EGRESS_DENY_CIDRS", CLUSTER_DENY,
            "TAPEDECK_EGRESS_ALLOW_CIDRS", "127.0.0.2/32",
            "TAPEDECK_EGRESS_CONNECT_PORTS", "443,80",
            "TAPEDECK_PROXY_MAX_CONNECTIONS_PER_LISTENER", "4",
            "TAPEDECK_PROXY_IDLE_TIMEOUT", "2s"));
    proxy.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void ownSettings() {
    proxy.restart();
    proxy.awaitReady(Duration.ofSeconds(60));
    allowed.stop(0);
  }

  private static JsonNode start(String config) throws Exception {
    JsonNode session = api.call("POST", "/api/v1/recorder/start", config, 201).get("session");
    awaitListening(session.get("listenPort").asInt());
    return session;
  }

  /** The restarted proxy opens the listener once its session watch is back. */
  private static void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        if (s.isConnected()) {
          return;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  private static String allowedAuthority() {
    return "127.0.0.2:" + allowed.getAddress().getPort();
  }

  /** Sends {@code request} as written and reads one response: head and Content-Length body. */
  private static String raw(int port, String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode errorOf(String response) throws IOException {
    return JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  private static JsonNode entries(String sessionId, int count) throws Exception {
    api.awaitEntryTotal(sessionId, count, Duration.ofSeconds(20));
    return api.call("GET", "/api/v1/recorder/" + sessionId + "/entries?offset=0&limit=100", null, 200).get("entries");
  }

  @Test
  void refusesMetadataLoopbackRebindingNamesDnsMapsAndInternalConnectPorts() throws Exception {
    JsonNode session = start("{\"mode\":\"forward\",\"dnsMap\":{\"api.example.com\":\"127.0.0.1\"}}");
    String id = session.get("id").asText();
    int port = session.get("listenPort").asInt();
    int control = system.layout().httpPort(dev.tapedeck.devstack.Service.CONTROL);

    String metadata = raw(port, "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n\r\n");
    assertThat(metadata).startsWith("HTTP/1.1 403");
    assertThat(errorOf(metadata).get("error").asText()).isEqualTo("egress_refused");
    assertThat(errorOf(metadata).get("message").asText()).contains("169.254.169.254").contains("169.254.0.0/16");

    String loopback = raw(port, "GET http://127.0.0.1:" + control + "/q/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(loopback).startsWith("HTTP/1.1 403");
    assertThat(errorOf(loopback).get("message").asText()).contains("127.0.0.0/8");

    // A name that resolves to loopback: checked on the address it resolved to.
    String rebinding = raw(port, "GET http://localhost:" + control + "/q/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assertThat(rebinding).startsWith("HTTP/1.1 403");
    assertThat(errorOf(rebinding).get("message").asText()).contains("(localhost)");

    String mapped = raw(port, "GET http://api.example.com:" + control + "/q/health HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
    assertThat(mapped).startsWith("HTTP/1.1 403");
    assertThat(errorOf(mapped).get("message").asText()).contains("127.0.0.1 (api.example.com)");

    // CONNECT to an internal service port: the port is not among 443 and 80.
    String authority = "127.0.0.1:" + control;
    String tunnel = raw(port, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
    assertThat(tunnel).startsWith("HTTP/1.1 403");
    assertThat(errorOf(tunnel).get("message").asText()).contains("CONNECT ports 443,80");
    // ...and on an allowed port, the address still counts.
    String tunnel443 = raw(port, "CONNECT 169.254.169.254:443 HTTP/1.1\r\nHost: 169.254.169.254:443\r\n\r\n");
    assertThat(tunnel443).startsWith("HTTP/1.1 403");

    // An allowed CIDR passes.
    String ok = raw(port, "GET http://" + allowedAuthority() + "/hi HTTP/1.1\r\nHost: " + allowedAuthority() + "\r\n\r\n");
    assertThat(ok).startsWith("HTTP/1.1 200").contains("allowed saw /hi");

    JsonNode recorded = entries(id, 7);
    List<String> refused = new ArrayList<>();
    for (JsonNode e : recorded) {
      if (e.path("refused").asBoolean(false)) {
        assertThat(e.get("error").asText()).startsWith("egress_refused");
        assertThat(e.get("response").get("statusCode").asInt()).isEqualTo(403);
        refused.add(e.get("request").get("method").asText() + " " + e.get("request").get("url").asText());
      }
    }
    assertThat(refused).hasSize(6).contains("GET http://169.254.169.254/latest/meta-data/");
  }

  @Test
  void refusesAReverseTargetOnLoopbackAtConnectTime() throws Exception {
    // control-service (local policy in this system) accepts it; the proxy's connect-time check refuses.
    JsonNode session = start("{\"targetUrl\":\"http://127.0.0.1:" + system.layout().httpPort(dev.tapedeck.devstack.Service.CONTROL) + "\"}");
    String response = raw(session.get("listenPort").asInt(), "GET /q/health HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(response).startsWith("HTTP/1.1 403");
    JsonNode entry = entries(session.get("id").asText(), 1).get(0);
    assertThat(entry.get("refused").asBoolean()).isTrue();
  }

  @Test
  void controlRefusesALiteralMetadataTargetNamingTheField() throws Exception {
    HttpResponse<String> r =
        api.send("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"http://169.254.169.254/latest\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.toString()).contains("targetUrl").contains("egress policy").contains("169.254.0.0/16");
  }

  @Test
  void proxyAuthAnswers407And401UntilTheCredentialIsGivenAndNeverShowsIt() throws Exception {
    JsonNode forward =
        start("{\"mode\":\"forward\",\"proxyAuth\":{\"username\":\"team-a\",\"password\":\"p4ss\"}}");
    assertThat(forward.get("proxyAuth").get("password").asText()).isEqualTo("(set)");
    int fport = forward.get("listenPort").asInt();
    String get = "GET http://" + allowedAuthority() + "/f HTTP/1.1\r\nHost: " + allowedAuthority() + "\r\n";
    String missing = raw(fport, get + "\r\n");
    assertThat(missing).startsWith("HTTP/1.1 407").contains("Proxy-Authenticate: Basic");
    String basic = Base64.getEncoder().encodeToString("team-a:p4ss".getBytes(StandardCharsets.UTF_8));
    String ok = raw(fport, get + "Proxy-Authorization: Basic " + basic + "\r\n\r\n");
    assertThat(ok).startsWith("HTTP/1.1 200").contains("auth=null/null");

    JsonNode reverse =
        start("{\"targetUrl\":\"http://" + allowedAuthority() + "\",\"proxyAuth\":{\"header\":\"X-Tapedeck-Key\",\"value\":\"k-9\"}}");
    int rport = reverse.get("listenPort").asInt();
    assertThat(raw(rport, "GET /r HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 401");
    assertThat(raw(rport, "GET /r HTTP/1.1\r\nHost: x\r\nX-Tapedeck-Key: k-9\r\n\r\n"))
        .startsWith("HTTP/1.1 200")
        .contains("auth=null/null");
    JsonNode listed = api.call("GET", "/api/v1/recorder/sessions", null, 200);
    assertThat(listed.toString()).doesNotContain("p4ss").doesNotContain("k-9");
  }

  @Test
  void closesConnectionsOverTheCapAndASlowlorisHeadAfterTheIdleTimeout() throws Exception {
    JsonNode session = start("{\"targetUrl\":\"http://" + allowedAuthority() + "\"}");
    int port = session.get("listenPort").asInt();
    double refusedBefore = metric("tapedeck_proxy_connections_refused_total");
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write("GET /held HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        s.setSoTimeout(5_000);
        byte[] buf = new byte[64];
        assertThat(new String(buf, 0, s.getInputStream().read(buf), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        held.add(s);
      }
      try (Socket fifth = new Socket("127.0.0.1", port)) {
        fifth.getOutputStream().write("GET /over HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(millisUntilClosed(fifth)).isLessThan(3_000);
      }
      assertThat(metric("tapedeck_proxy_connections_refused_total")).isGreaterThan(refusedBefore);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Thread.sleep(300);
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
      long closedAfter = millisUntilClosed(slow);
      assertThat(closedAfter).isBetween(1_000L, 8_000L);
    }
  }

  private static long millisUntilClosed(Socket s) throws IOException {
    s.setSoTimeout(15_000);
    long start = System.nanoTime();
    InputStream in = s.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever comes before the close
      }
    } catch (SocketException reset) {
      // a reset closes too
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static double metric(String name) throws Exception {
    return ServiceMetrics.value(proxy, name);
  }

}
