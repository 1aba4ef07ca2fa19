package dev.tapedeck.converter.export.script;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The variables scripts and collections call hosts through, one per recorded origin in the order
 * first seen ({@code BASE_URL}, {@code BASE_URL_2}, ...), each defaulting to the recorded origin.
 * With a {@code base_url} option, every origin goes through the first variable, defaulting to it.
 */
public final class Origins {

  private final IntFunction<String> naming;
  private final Optional<String> baseUrl;
  private final Map<String, String> variables = new LinkedHashMap<>();
  private final Map<String, String> defaults = new LinkedHashMap<>();

  /**
   * @param naming the variable name of the n-th origin, from 1
   * @param baseUrl the URL every origin is replaced with, if any
   */
  public Origins(IntFunction<String> naming, Optional<String> baseUrl) {
    this.naming = naming;
    this.baseUrl = baseUrl;
  }

  /** Collection variables: {@code baseUrl}, {@code baseUrl2}, ... (Postman, Insomnia, API Tester). */
  public static Origins collectionVariables(Optional<String> baseUrl) {
    return new Origins(n -> n == 1 ? "baseUrl" : "baseUrl" + n, baseUrl);
  }

  /** Environment variables of scripts: {@code BASE_URL}, {@code BASE_URL_2}, ... (k6, node). */
  public static Origins environmentVariables(Optional<String> baseUrl) {
    return new Origins(n -> n == 1 ? "BASE_URL" : "BASE_URL_" + n, baseUrl);
  }

  /** The variable standing for {@code origin}. */
  public String variableFor(String origin) {
    if (baseUrl.isPresent()) {
      String name = naming.apply(1);
      defaults.putIfAbsent(name, baseUrl.get());
      return name;
    }
    return variables.computeIfAbsent(
        origin,
        o -> {
          String name = naming.apply(variables.size() + 1);
          defaults.put(name, o);
          return name;
        });
  }

  /** Each variable with its default URL, in the order they were made. */
  public Map<String, String> defaults() {
    return new LinkedHashMap<>(defaults);
  }

  /**
   * The lines of a script's base-URL table, one per origin: {@code    NAME: <env>NAME <fallback>
   * "recorded URL",}, e.g. {@code __ENV.} with {@code ||} for k6, {@code process.env.} with
   * {@code ??} for Node.
   */
  public String envTable(String envPrefix, String fallbackOperator) {
    StringBuilder table = new StringBuilder();
    defaults()
        .forEach(
            (variable, url) ->
                table
                    .append("    ")
                    .append(variable)
                    .append(": ")
                    .append(envPrefix)
                    .append(variable)
                    .append(' ')
                    .append(fallbackOperator)
                    .append(' ')
                    .append(ScriptJson.literal(url))
                    .append(",\n"));
    return table.toString();
  }
}
