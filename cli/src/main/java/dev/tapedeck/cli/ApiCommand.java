package dev.tapedeck.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tapedeck.cli.api.Api;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the API client built from the global options ({@code --url}, {@code
 * --api-key}, {@code --json}) of the {@code tapedeck} command it runs under, and its output.
 */
public abstract class ApiCommand implements Callable<Integer> {
  @Spec protected CommandSpec spec;

  /** The root command, holding the global options and the environment. */
  protected TapedeckCli cli() {
    return (TapedeckCli) spec.root().userObject();
  }

  /** The API client. */
  protected Api api() {
    return cli().api();
  }

  /** Whether {@code --json} asked for JSON rather than tables. */
  protected boolean json() {
    return cli().json();
  }

  /** Standard output. */
  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Standard error, for progress and warnings. */
  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints {@code node} as indented JSON. */
  protected void printJson(JsonNode node) {
    try {
      out().println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      out().flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code --json} was given (for helpers outside the command class). */
  public boolean jsonOutput() {
    return json();
  }

  /** Prints {@code node} as indented JSON (for helpers outside the command class). */
  public void printJsonOut(JsonNode node) {
    printJson(node);
  }

  /** Prints one line on standard output. */
  public void printLine(String line) {
    out().println(line);
    out().flush();
  }

  /** {@code node}'s text at {@code field}, or null when absent. */
  protected static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? null : value.asText();
  }
}
