package dev.tapedeck.cli.ca;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.cli.ApiCommand;
import dev.tapedeck.cli.api.Settings;
import dev.tapedeck.cli.run.TrustFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tapedeck ca status | generate | download | env}: the CA that signs intercepted hosts. */
@Command(
    name = "ca",
    description = "The CA that HTTPS interception (--mitm) signs leaf certificates with.",
    subcommands = {CaCommands.Status.class, CaCommands.Generate.class, CaCommands.Download.class, CaCommands.Env.class})
public final class CaCommands implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: status, generate, download or env");
  }

  static void printStatus(ApiCommand command, JsonNode status) {
    if (command.jsonOutput()) {
      command.printJsonOut(status);
    } else if (!status.path("exists").asBoolean()) {
      command.printLine("no CA yet: `tapedeck ca generate`, or start a session with --mitm");
    } else {
      command.printLine("subject:     " + status.path("subject").asText());
      command.printLine("algorithm:   " + status.path("algorithm").asText());
      command.printLine("valid:       " + status.path("notBefore").asText() + " .. " + status.path("notAfter").asText());
      command.printLine("sha256:      " + status.path("sha256Fingerprint").asText());
      command.printLine("provided:    " + status.path("provided").asBoolean());
    }
  }

  @Command(name = "status", description = "Whether the CA exists, its subject, validity and fingerprint.")
  public static final class Status extends ApiCommand {
    @Override
    public Integer call() {
      printStatus(this, api().get("/api/v1/recorder/ca/status"));
      return 0;
    }
  }

  @Command(name = "generate", description = "Make the CA (ECDSA P-256, 10 years) unless it exists.")
  public static final class Generate extends ApiCommand {
    @Override
    public Integer call() {
      printStatus(this, api().post("/api/v1/recorder/ca/generate", null));
      return 0;
    }
  }

  @Command(name = "download", description = "The CA certificate as PEM, to add to a trust store.")
  public static final class Download extends ApiCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
    Path output;

    @Override
    public Integer call() throws IOException {
      String pem = api().text("GET", "/api/v1/recorder/ca/download", null);
      if (output == null) {
        out().print(pem);
        out().flush();
      } else {
        Files.writeString(output, pem);
        err().println("wrote " + output);
        err().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "env",
      description = {
        "Write trust files for the CA and print the variables that make clients trust it:",
        "  eval \"$(tapedeck ca env)\"",
        "Files go to --dir (default: <data folder>/cli-trust)."
      })
  public static final class Env extends ApiCommand {
    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write tapedeck-ca.pem, ca-bundle.pem and truststore.p12.")
    Path dir;

    @Override
    public Integer call() throws IOException {
      Path target = dir != null ? dir : Settings.dataDir(cli().env()).resolve("cli-trust");
      if (!Files.isDirectory(target)) {
        Files.createDirectories(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      TrustFiles trust = TrustFiles.write(target, api().text("GET", "/api/v1/recorder/ca/download", null), cli().env());
      String bundle = quote(trust.bundle().toString());
      printLine("export SSL_CERT_FILE=" + bundle);
      printLine("export REQUESTS_CA_BUNDLE=" + bundle);
      printLine("export CURL_CA_BUNDLE=" + bundle);
      printLine("export NODE_EXTRA_CA_CERTS=" + quote(trust.caPem().toString()));
      printLine("export JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }\"" + quote(
          "-Djavax.net.ssl.trustStore=" + trust.trustStore() + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=" + trust.trustStorePassword()));
      return 0;
    }

    /** {@code value} in single quotes for a POSIX shell. */
    static String quote(String value) {
      return "'" + value.replace("'", "'\\''") + "'";
    }
  }
}
