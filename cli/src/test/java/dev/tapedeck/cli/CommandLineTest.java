package dev.tapedeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree, global options, output and errors, against a stand-in HTTP server. */
class CommandLineTest {
  private HttpServer server;
  private final AtomicReference<String> lastRequest = new AtomicReference<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void everyCommandAndSubcommandAnswersHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(TapedeckCli.commandLine(Map.of()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(25);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliHarness.Result result = CliHarness.run(Map.of(), args.toArray(String[]::new));
      assertThat(result.exit()).as("%s --help", path).isZero();
      assertThat(result.out()).as("%s --help", path).startsWith("Usage: tapedeck" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
    }
  }

  private static void collect(CommandLine line, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    for (var sub : line.getSubcommands().entrySet()) {
      if (sub.getKey().equals("help")) {
        continue;
      }
      List<String> next = new ArrayList<>(path);
      next.add(sub.getKey());
      collect(sub.getValue(), next, paths);
    }
  }

  @Test
  void anApiErrorIsShownAsItsMessageWithExitCodeOne() throws IOException {
    serve(404, "{\"error\":\"not_found\",\"message\":\"Session not found: abc\"}");

    CliHarness.Result result = CliHarness.run(Map.of("TAPEDECK_API_KEY", "k"), "--url", url(), "stop", "abc");

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("tapedeck: Session not found: abc\n");
    assertThat(lastRequest.get()).isEqualTo("POST /api/v1/recorder/abc/stop key=k");
  }

  @Test
  void globalOptionsWorkAfterTheSubcommandAndTheFlagWinsOverTheEnvironment() throws IOException {
    serve(200, "{\"sessions\":[{\"id\":\"s1\",\"name\":\"ci\",\"mode\":\"forward\",\"listenPort\":8081,\"status\":\"running\",\"entryCount\":3,\"createdAt\":\"2026-12-03T10:00:00Z\"}],\"total\":1}");

    CliHarness.Result table = CliHarness.run(Map.of("TAPEDECK_URL", "http://127.0.0.1:1", "TAPEDECK_API_KEY", "env"), "sessions", "--url", url(), "--api-key", "flag");
    CliHarness.Result json = CliHarness.run(Map.of("TAPEDECK_URL", url(), "TAPEDECK_API_KEY", "env"), "sessions", "--json");

    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out().lines().toList())
        .containsExactly(
            "ID  NAME  MODE     PORT  STATUS   ENTRIES  CREATED",
            "s1  ci    forward  8081  running  3        2026-12-03T10:00:00Z");
    assertThat(json.out()).contains("\"sessions\" : [ {").contains("\"entryCount\" : 3");
    assertThat(lastRequest.get()).isEqualTo("GET /api/v1/recorder/sessions key=env");
  }

  @Test
  void anUnreachableApiIsNamedWithTheUrl() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    CliHarness.Result result = CliHarness.run(Map.of(), "sessions", "--url", "http://127.0.0.1:" + port);

    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).startsWith("tapedeck: cannot reach Tapedeck at http://127.0.0.1:" + port);
  }

  @Test
  void aUsageErrorExitsTwoNamingTheProblem() {
    CliHarness.Result result = CliHarness.run(Map.of(), "export");

    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err()).startsWith("tapedeck: Missing required parameter: 'SESSION'").contains("tapedeck export --help");
  }

  @Test
  void completionPrintsABashScriptCoveringTheCommands() {
    CliHarness.Result result = CliHarness.run(Map.of(), "completion");

    assertThat(result.exit()).isZero();
    assertThat(result.out()).contains("complete -F _complete_tapedeck").contains("run").contains("convert").contains("--smart-match");
  }

  private void serve(int status, String body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          lastRequest.set(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " key=" + exchange.getRequestHeaders().getFirst("X-API-Key"));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
