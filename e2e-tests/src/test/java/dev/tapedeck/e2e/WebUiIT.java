package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web UI at {@code /ui/}: served without a key while every API path keeps needing one, under a
 * strict Content-Security-Policy; and driven in headless Chromium (Debian's {@code chromium},
 * {@code playwright-core} from npm installed into target/npm) through {@code src/test/ui/ui.spec.mjs}:
 * key prompt, session list, a session started from the form, a request shown live, an entry's
 * headers, body and timings, a HAR download. Screenshots land in {@code target/ui-screenshots/}.
 */
class WebUiIT {
  /** The playwright-core release the spec is written against (npm). */
  private static final String PLAYWRIGHT_CORE = "playwright-core@1.65.1";
  private static final Path CHROMIUM = Path.of(System.getProperty("tapedeck.chromium", "/usr/bin/chromium"));
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void servesTheUiWithoutAKeyButNoApiPathThroughIt() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    HttpResponse<String> index = get(system.controlUrl() + "/ui/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(index.body()).contains("<label for=\"api-key\">API key</label>");
    String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    // File names carry no version: an upgrade must not leave browsers on a day-old "immutable" copy.
    assertThat(index.headers().firstValue("Cache-Control").orElse("")).doesNotContain("immutable");
    assertThat(get(system.controlUrl() + "/ui/js/app.js").statusCode()).isEqualTo(200);

    HttpResponse<String> bare = get(system.controlUrl() + "/ui");
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).hasValue("ui/");
    assertThat(get(system.controlUrl() + "/").headers().firstValue("Location")).hasValue("ui/");

    // The API stays closed, whichever way a path through /ui/ is spelled.
    assertThat(get(system.controlUrl() + "/api/v1/recorder/sessions").statusCode()).isEqualTo(401);
    URI control = URI.create(system.controlUrl());
    for (String path :
        new String[] {
          "/ui/../api/v1/recorder/sessions",
          "/ui/%2e%2e/api/v1/recorder/sessions",
          "/ui/..%2fapi/v1/recorder/sessions",
          "/ui/./../api/v1/admin/users"
        }) {
      String status = rawStatusLine(control.getHost(), control.getPort(), path);
      assertThat(status).as(path).doesNotContain(" 200 ").matches("HTTP/1\\.1 (400|401|404) .*");
    }
  }

  @Test
  void browserWatchesTrafficLiveAndExportsHar() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("headless Chromium at " + CHROMIUM + " (apt-get install -y chromium; .ci/run installs it)")
        .isTrue();
    TapedeckSystem system = TapedeckSystem.shared();
    Path target = system.repoRoot().resolve("e2e-tests/target");
    Path npm = installPlaywright(target.resolve("npm"));
    Path shots = target.resolve("ui-screenshots");
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("POST", "/echo", req -> UpstreamResponse.json(200, "{\"hello\":\"world\",\"n\":[1,2,3]}")
                .withHeader("X-Upstream", "echo"))
            .route("GET", "/items", req -> UpstreamResponse.text(200, "item"))) {
      ProcessBuilder node =
          new ProcessBuilder("node", system.repoRoot().resolve("e2e-tests/src/test/ui/ui.spec.mjs").toString())
              .redirectErrorStream(true);
      node.environment().put("TAPEDECK_URL", system.controlUrl());
      node.environment().put("TAPEDECK_KEY", system.adminKey());
      node.environment().put("UPSTREAM_URL", upstream.url());
      node.environment().put("NPM_PREFIX", npm.toString());
      node.environment().put("SCREENSHOT_DIR", shots.toString());
      node.environment().put("CHROMIUM", CHROMIUM.toString());
      node.environment().put("LIVE_BUDGET_MS", System.getProperty("tapedeck.ui.live-budget-ms", "1000"));
      String output = run(node, 300, target.resolve("ui-spec.log"));
      assertThat(output).contains("UI SPEC PASSED");
      assertThat(shots.resolve("05-entry-detail.png")).exists();
    }
  }

  private static Path installPlaywright(Path prefix) throws Exception {
    if (!Files.isDirectory(prefix.resolve("node_modules/playwright-core"))) {
      Files.createDirectories(prefix);
      ProcessBuilder npm =
          new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), PLAYWRIGHT_CORE)
              .redirectErrorStream(true);
      run(npm, 180, prefix.resolve("npm-install.log"));
    }
    return prefix;
  }

  /** Runs a process to its end, echoing and saving its output; fails on a non-zero exit. */
  private static String run(ProcessBuilder builder, int timeoutSeconds, Path log) throws Exception {
    Process p = builder.start();
    StringBuilder out = new StringBuilder();
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                      System.out.println("[" + builder.command().get(0) + "] " + line);
                      synchronized (out) {
                        out.append(line).append('\n');
                      }
                    }
                  } catch (IOException ignored) {
                    // the process ended
                  }
                });
    boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    reader.join(5_000);
    String text;
    synchronized (out) {
      text = out.toString();
    }
    Files.writeString(log, text);
    assertThat(ended).as(builder.command() + " ended within " + timeoutSeconds + " s; output:\n" + text).isTrue();
    assertThat(p.exitValue()).as(builder.command() + " exit code; output:\n" + text).isZero();
    return text;
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The status line for a path sent exactly as written (no client-side normalisation). */
  private static String rawStatusLine(String host, int port, String path) throws IOException {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }
  }
}
