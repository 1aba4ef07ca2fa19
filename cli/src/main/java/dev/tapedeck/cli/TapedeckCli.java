package dev.tapedeck.cli;

import dev.tapedeck.cli.admin.ConfigCommands;
import dev.tapedeck.cli.admin.UserCommands;
import dev.tapedeck.cli.api.Api;
import dev.tapedeck.cli.api.ApiException;
import dev.tapedeck.cli.api.Settings;
import dev.tapedeck.cli.ca.CaCommands;
import dev.tapedeck.cli.convert.ConvertCommand;
import dev.tapedeck.cli.entries.EntriesCommand;
import dev.tapedeck.cli.exports.ExportCommand;
import dev.tapedeck.cli.exports.ImportCommand;
import dev.tapedeck.cli.mocks.CorrelateCommand;
import dev.tapedeck.cli.mocks.MockCommands;
import dev.tapedeck.cli.mocks.ReplayCommand;
import dev.tapedeck.cli.run.RunCommand;
import dev.tapedeck.cli.session.SessionCommands;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code tapedeck}: the command line of Tapedeck (docs/cli.md). Every command but {@code convert}
 * and {@code completion} calls the REST API; an error answer is printed as its {@code message} and
 * the exit code is 1 (2 for a usage error; {@code run} exits with its command's code).
 */
@Command(
    name = "tapedeck",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = TapedeckCli.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Records HTTP(S) traffic through Tapedeck's proxy and turns it into HAR files, mocks and tests.",
      "Talks to the REST API at --url (TAPEDECK_URL, default " + Settings.DEFAULT_URL + ") with --api-key",
      "(TAPEDECK_API_KEY, default: the admin key file of the local data folder)."
    },
    subcommands = {
      RunCommand.class,
      SessionCommands.Start.class,
      SessionCommands.Stop.class,
      SessionCommands.Restart.class,
      SessionCommands.Delete.class,
      SessionCommands.Sessions.class,
      EntriesCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      MockCommands.class,
      ReplayCommand.class,
      CorrelateCommand.class,
      CaCommands.class,
      ConfigCommands.class,
      UserCommands.class,
      ConvertCommand.class,
      CompletionCommand.class
    })
public final class TapedeckCli implements Runnable {

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "The API's base URL (TAPEDECK_URL; default " + Settings.DEFAULT_URL + ").")
  String url;

  @Option(
      names = "--api-key",
      scope = ScopeType.INHERIT,
      paramLabel = "KEY",
      description = "The API key (TAPEDECK_API_KEY; default: <data folder>/admin-api-key).")
  String apiKey;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print the API's JSON instead of tables (for scripts).")
  boolean json;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  final Map<String, String> env;
  private Api api;

  TapedeckCli(Map<String, String> env) {
    this.env = env;
  }

  /** The environment the CLI runs in (a map, so tests can hand one in). */
  public Map<String, String> env() {
    return env;
  }

  /** The API client of the global options, made on first use. */
  public Api api() {
    if (api == null) {
      api = new Api(Settings.url(url, env), Settings.apiKey(apiKey, env));
    }
    return api;
  }

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
  }

  /** The command line for {@code env}, with the CLI's error handling. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine line = new CommandLine(new TapedeckCli(env));
    line.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          PrintWriter err = cmd.getErr();
          if (e instanceof ApiException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException) {
            err.println("tapedeck: " + e.getMessage());
          } else {
            err.println("tapedeck: " + e);
          }
          err.flush();
          return 1;
        });
    line.setParameterExceptionHandler(
        (e, args) -> {
          CommandLine cmd = e.getCommandLine();
          PrintWriter err = cmd.getErr();
          err.println("tapedeck: " + e.getMessage());
          err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
          err.flush();
          return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
    // `tapedeck run curl -x ...`: everything from the command on is the command's, -- or not.
    line.getSubcommands().get("run").setStopAtPositional(true);
    return line;
  }

  /** Runs {@code args} and returns the exit code. */
  public static int execute(Map<String, String> env, String... args) {
    return commandLine(env).execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(System.getenv(), args));
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = TapedeckCli.class.getPackage().getImplementationVersion();
      return new String[] {"tapedeck " + (version == null ? "(development build)" : version)};
    }
  }
}
