package dev.tapedeck.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.api.ApiException;
import dev.tapedeck.cli.exports.ConversionFlags;
import dev.tapedeck.cli.exports.Exports;
import dev.tapedeck.cli.session.ProxyAddress;
import dev.tapedeck.cli.session.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tapedeck run [options] -- COMMAND...}: records everything COMMAND sends through a proxy.
 *
 * <ol>
 *   <li>starts a forward-mode session (with {@code --mitm}: HTTPS interception) and, with {@code
 *       --mitm}, writes the CA's trust files into a private temporary folder;
 *   <li>runs COMMAND with the proxy (and trust) variables of {@link ChildEnvironment}, its standard
 *       input, output and error those of tapedeck;
 *   <li>stops the session, waits until its captures are stored ({@link StoredWait});
 *   <li>writes each {@code --har} / {@code --export} file;
 *   <li>exits with COMMAND's exit code: 125 when Tapedeck failed before COMMAND ran (or, COMMAND
 *       having succeeded, when an export failed), 126 when COMMAND cannot be run, 127 when it is not
 *       found (as {@code env} and {@code docker run} do).
 * </ol>
 */
@Command(
    name = "run",
    description = {
      "Record a command's HTTP(S) traffic: start a forward session, run COMMAND with HTTP_PROXY/HTTPS_PROXY",
      "pointing at it, wait until its captures are stored, stop it, write the exports, exit with COMMAND's code.",
      "  tapedeck run --har build.har -- ./gradlew test",
      "  tapedeck run --mitm --export wiremock:mappings.json -- npm test"
    })
public final class RunCommand extends ApiCommand {
  /** Exit code when Tapedeck fails (before the command ran, or an export after it succeeded). */
  public static final int TAPEDECK_FAILED = 125;

  @Mixin SessionOptions options;
  @Mixin ProxyAddress proxy;

  @Option(names = "--mitm", description = "Decrypt HTTPS: the command trusts the Tapedeck CA (SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, JAVA_TOOL_OPTIONS).")
  boolean mitm;

  @Option(names = "--har", paramLabel = "FILE", description = "Write the session as HAR 1.2 to FILE (as --export har:FILE).")
  String har;

  @Option(names = "--export", paramLabel = "FORMAT:FILE", description = "Write the session in FORMAT to FILE; repeatable. Formats as for `tapedeck export`.")
  List<String> exports = new ArrayList<>();

  @Option(names = "--no-proxy", paramLabel = "LIST", description = "Set NO_PROXY/no_proxy for COMMAND (default: keep yours). \"\" proxies everything.")
  String noProxy;

  @Option(names = "--settle", paramLabel = "MS", defaultValue = "2000", description = "Captures are taken as stored once the count has not changed for MS milliseconds (default ${DEFAULT-VALUE}).")
  long settleMs;

  @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60", description = "Stop waiting for captures after SECONDS (default ${DEFAULT-VALUE}).")
  long waitSeconds;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing of tapedeck's own but errors.")
  boolean quiet;

  @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (after --).")
  List<String> command;

  private record Export(String format, String file) {}

  @Override
  public Integer call() throws InterruptedException {
    List<Export> targets;
    String sessionId;
    String proxyUrl;
    Path trustDir = null;
    Map<String, String> childEnv;
    try {
      targets = targets();
      if (settleMs < 0 || settleMs > 600_000) {
        throw new IllegalArgumentException("--settle must be 0-600000 ms");
      }
      if (waitSeconds < 1 || waitSeconds > 3600) {
        throw new IllegalArgumentException("--wait-timeout must be 1-3600 seconds");
      }
      ObjectNode body = options.body("forward", mitm);
      if (!body.has("name")) {
        String name = "run " + String.join(" ", command);
        body.put("name", name.length() > 200 ? name.substring(0, 197) + "..." : name);
      }
      JsonNode session = api().post("/api/v1/recorder/start", body).path("session");
      sessionId = session.path("id").asText();
      proxyUrl = proxy.url(cli().env(), api().baseUrl(), session.path("listenPort").asInt());
      say("session " + sessionId + " recording through " + proxyUrl + (mitm ? " (HTTPS intercepted)" : ""));
      TrustFiles trust = null;
      try {
        if (mitm) {
          trustDir = Files.createTempDirectory("tapedeck-run-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
          trust = TrustFiles.write(trustDir, api().text("GET", "/api/v1/recorder/ca/download", null), cli().env());
        }
      } catch (IOException | RuntimeException e) {
        stopQuietly(sessionId);
        throw e instanceof IOException io ? new UncheckedIOException(io.getMessage(), io) : (RuntimeException) e;
      }
      childEnv = ChildEnvironment.build(cli().env(), sessionId, proxyUrl, noProxy, trust);
    } catch (ApiException | IllegalArgumentException | UncheckedIOException e) {
      fail(e.getMessage());
      deleteQuietly(trustDir);
      return TAPEDECK_FAILED;
    }

    Thread onInterrupt = new Thread(() -> stopQuietly(sessionId), "tapedeck-run-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    int exit;
    try {
      exit = runCommand(childEnv);
    } finally {
      deleteQuietly(trustDir);
    }
    try {
      api().post("/api/v1/recorder/" + Api.encode(sessionId) + "/stop", null);
      StoredWait.Result stored =
          StoredWait.await(api(), sessionId, Duration.ofMillis(settleMs), Duration.ofSeconds(waitSeconds), n -> {});
      if (!stored.settled()) {
        warn("captures were still arriving after " + waitSeconds + " s (--wait-timeout); exporting the " + stored.stored() + " stored so far");
      }
      say("session " + sessionId + " stopped; " + stored.stored() + " entries stored");
      for (Export export : targets) {
        long bytes = Exports.write(api(), sessionId, export.format(), List.of(), ConversionFlags.none(), export.file(), out());
        if (bytes >= 0) {
          say("wrote " + export.format() + " to " + export.file() + " (" + bytes + " bytes)");
        }
      }
    } catch (ApiException | UncheckedIOException e) {
      fail(e.getMessage());
      return exit == 0 ? TAPEDECK_FAILED : exit;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException e) {
        // shutting down already: the hook stops the session
      }
    }
    return exit;
  }

  /** Runs the command and returns its exit code (126 / 127 when it cannot be started). */
  private int runCommand(Map<String, String> env) throws InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      fail("cannot run " + command.get(0) + ": " + message);
      return message.contains("error=2,") || message.contains("No such file") ? 127 : 126;
    }
    return process.waitFor();
  }

  private List<Export> targets() {
    List<Export> targets = new ArrayList<>();
    if (har != null) {
      targets.add(new Export("har", har));
    }
    for (String export : exports) {
      int colon = export.indexOf(':');
      if (colon <= 0 || colon == export.length() - 1) {
        throw new IllegalArgumentException("--export " + export + ": expected FORMAT:FILE, e.g. wiremock:mappings.json");
      }
      targets.add(new Export(Exports.format(export.substring(0, colon)), export.substring(colon + 1)));
    }
    return targets;
  }

  private void stopQuietly(String sessionId) {
    try {
      api().post("/api/v1/recorder/" + Api.encode(sessionId) + "/stop", null);
    } catch (RuntimeException e) {
      // best effort: the session expires on its own
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir != null) {
      // A temporary folder left behind holds only public certificates and a throwaway password.
      FileUtils.deleteQuietly(dir.toFile());
    }
  }

  private void say(String message) {
    if (!quiet) {
      err().println("tapedeck: " + message);
      err().flush();
    }
  }

  private void warn(String message) {
    err().println("tapedeck: warning: " + message);
    err().flush();
  }

  private void fail(String message) {
    err().println("tapedeck: " + message);
    err().flush();
  }
}
