package dev.tapedeck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process with a given environment, capturing what it prints. */
public final class CliHarness {
  /** What a run printed and returned. */
  public record Result(int exit, String out, String err) {}

  private CliHarness() {}

  public static Result run(Map<String, String> env, String... args) {
    CommandLine line = TapedeckCli.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  /** The command line, for parse-only checks. */
  public static CommandLine parse(String... args) {
    CommandLine line = TapedeckCli.commandLine(Map.of());
    line.parseArgs(args);
    return line;
  }
}
