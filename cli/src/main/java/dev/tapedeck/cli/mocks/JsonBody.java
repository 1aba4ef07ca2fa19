package dev.tapedeck.cli.mocks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.api.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data JSON} or {@code --data @FILE}: a request body the flags then add fields to. */
public final class JsonBody {
  @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE", description = "The JSON body, or @FILE; the flags set fields on top of it.")
  String data;

  /** The body given, or an empty object. */
  public ObjectNode body() {
    if (data == null || data.isBlank()) {
      return Api.JSON.createObjectNode();
    }
    try {
      JsonNode node = data.startsWith("@") ? Api.JSON.readTree(Files.readAllBytes(Path.of(data.substring(1)))) : Api.JSON.readTree(data);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("--data must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new IllegalArgumentException("--data: " + e.getMessage());
    }
  }
}
