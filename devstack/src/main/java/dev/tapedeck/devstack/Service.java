package dev.tapedeck.devstack;

import java.nio.file.Path;

/** The four Tapedeck services, in the order they are started. */
public enum Service {
  /** Stores entries from Kafka into MongoDB; serves them over gRPC. */
  STORAGE("storage", "storage-service", 5772),
  /** Turns entries into HAR, WireMock, Postman and other outputs. */
  CONVERTER("converter", "converter-service", 5773),
  /** The public REST API; hands sessions to the proxies over gRPC. */
  CONTROL("control", "control-service", 5770),
  /** Listens on session ports and captures traffic into Kafka; connects to control. */
  PROXY("proxy", "proxy-service", 5771);

  private final String shortName;
  private final String module;
  private final int defaultHttpPort;

  Service(String shortName, String module, int defaultHttpPort) {
    this.shortName = shortName;
    this.module = module;
    this.defaultHttpPort = defaultHttpPort;
  }

  /** {@code storage}, {@code converter}, {@code control} or {@code proxy}: names its log file. */
  public String shortName() {
    return shortName;
  }

  /** The Maven module folder under the repository root, e.g. {@code control-service}. */
  public String module() {
    return module;
  }

  /** The HTTP (and gRPC) port {@code make run} uses. */
  public int defaultHttpPort() {
    return defaultHttpPort;
  }

  /** {@code <repoRoot>/<module>/target/quarkus-app/quarkus-run.jar}. */
  public Path runnerJar(Path repoRoot) {
    return repoRoot
        .resolve(module)
        .resolve("target")
        .resolve("quarkus-app")
        .resolve("quarkus-run.jar");
  }

  /** The service whose short name or module is {@code name}. */
  public static Service named(String name) {
    for (Service service : values()) {
      if (service.shortName.equals(name) || service.module.equals(name)) {
        return service;
      }
    }
    throw new IllegalArgumentException("no Tapedeck service named " + name);
  }
}
