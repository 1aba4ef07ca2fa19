package dev.tapedeck.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.api.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The session settings {@code start} and {@code run} take, turned into the body of {@code POST
 * /api/v1/recorder/start}. {@code --config FILE} gives a whole body (as saved configs export it);
 * the flags set fields on top of it. The control plane validates the result and names every field
 * at fault.
 */
public final class SessionOptions {
  @Option(names = "--name", paramLabel = "NAME", description = "The session's name.")
  String name;

  @Option(names = "--port", paramLabel = "PORT", description = "The proxy port (8081-8999); default: the lowest free one.")
  Integer port;

  @Option(names = "--namespace", paramLabel = "NS", description = "The mock namespace of the session.")
  String namespace;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A JSON file with a start body (e.g. from `tapedeck configs export`); the flags override its fields.")
  Path config;

  @Option(names = "--include-host", paramLabel = "GLOB", split = ",", description = "Record only these hosts (filters.includeHosts).")
  List<String> includeHosts = new ArrayList<>();

  @Option(names = "--exclude-host", paramLabel = "GLOB", split = ",", description = "Do not record these hosts (filters.excludeHosts).")
  List<String> excludeHosts = new ArrayList<>();

  @Option(names = "--include-path", paramLabel = "GLOB", split = ",", description = "Record only these paths (filters.includePaths).")
  List<String> includePaths = new ArrayList<>();

  @Option(names = "--exclude-path", paramLabel = "GLOB", split = ",", description = "Do not record these paths (filters.excludePaths).")
  List<String> excludePaths = new ArrayList<>();

  @Option(names = "--include-method", paramLabel = "METHOD", split = ",", description = "Record only these methods (filters.includeMethods).")
  List<String> includeMethods = new ArrayList<>();

  @Option(names = "--exclude-status", paramLabel = "STATUS", split = ",", description = "Do not record these statuses: 404, 5xx (filters.excludeStatus).")
  List<String> excludeStatus = new ArrayList<>();

  @Option(names = "--upstream-ca", paramLabel = "PEM", description = "Trust this PEM file's certificates for upstream TLS (upstreamTls.caPem).")
  Path upstreamCa;

  @Option(names = "--upstream-insecure", description = "Accept any upstream certificate (upstreamTls.insecureSkipVerify).")
  boolean upstreamInsecure;

  @Option(names = "--passthrough-host", paramLabel = "GLOB", split = ",", description = "With --mitm: tunnel these hosts untouched (mitm.passthroughHosts).")
  List<String> passthroughHosts = new ArrayList<>();

  @Option(names = "--durability", paramLabel = "async|acked", description = "acked: an answer ends only once its capture is in Kafka.")
  String durability;

  @Option(names = "--capture-body-limit", paramLabel = "BYTES", description = "Bytes kept of each body (captureBodyLimitBytes).")
  Long captureBodyLimit;

  /**
   * The start body: {@code --config}'s content, then each flag given, then {@code mode} and {@code
   * mitm} as the command decides.
   */
  public ObjectNode body(String mode, boolean mitm) {
    ObjectNode body = base();
    if (name != null) {
      body.put("name", name);
    }
    if (port != null) {
      body.put("listenPort", port);
    }
    if (namespace != null) {
      body.put("namespace", namespace);
    }
    if (mode != null) {
      body.put("mode", mode);
    }
    ObjectNode filters = body.has("filters") && body.get("filters").isObject() ? (ObjectNode) body.get("filters") : Api.JSON.createObjectNode();
    list(filters, "includeHosts", includeHosts);
    list(filters, "excludeHosts", excludeHosts);
    list(filters, "includePaths", includePaths);
    list(filters, "excludePaths", excludePaths);
    list(filters, "includeMethods", includeMethods);
    list(filters, "excludeStatus", excludeStatus);
    if (!filters.isEmpty()) {
      body.set("filters", filters);
    }
    if (upstreamCa != null || upstreamInsecure) {
      ObjectNode tls = body.has("upstreamTls") && body.get("upstreamTls").isObject() ? (ObjectNode) body.get("upstreamTls") : Api.JSON.createObjectNode();
      if (upstreamCa != null) {
        tls.put("caPem", read(upstreamCa));
      }
      if (upstreamInsecure) {
        tls.put("insecureSkipVerify", true);
      }
      body.set("upstreamTls", tls);
    }
    if (mitm || !passthroughHosts.isEmpty()) {
      ObjectNode m = body.has("mitm") && body.get("mitm").isObject() ? (ObjectNode) body.get("mitm") : Api.JSON.createObjectNode();
      if (mitm) {
        m.put("enabled", true);
      }
      list(m, "passthroughHosts", passthroughHosts);
      body.set("mitm", m);
    }
    if (durability != null) {
      body.put("durability", durability);
    }
    if (captureBodyLimit != null) {
      body.put("captureBodyLimitBytes", captureBodyLimit);
    }
    return body;
  }

  /** The session name given with {@code --name} (or in {@code --config}), else null. */
  public String name() {
    return name;
  }

  private ObjectNode base() {
    if (config == null) {
      return Api.JSON.createObjectNode();
    }
    try {
      JsonNode node = Api.JSON.readTree(Files.readAllBytes(config));
      // a saved config's export wraps the body: {"config": {...}} in some shapes
      if (node != null && node.isObject() && node.has("config") && node.get("config").isObject()) {
        node = node.get("config");
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("--config " + config + ": not a JSON object");
      }
      return ((ObjectNode) node).deepCopy();
    } catch (IOException e) {
      throw new IllegalArgumentException("--config " + config + ": " + e.getMessage());
    }
  }

  private static void list(ObjectNode target, String field, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    ArrayNode array = target.putArray(field);
    values.stream().map(String::trim).filter(v -> !v.isEmpty()).forEach(array::add);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
