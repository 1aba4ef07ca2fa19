package dev.tapedeck.devstack;

import java.nio.file.Path;

/** The four Tapedeck services, in the order they are started. */
public enum Service {
  /** Stores entries from Kafka into MongoDB; serves them over gRPC. */
  STORAGE("storage", "storage-service", 5772, 5792),
  /** Turns entries into HAR, WireMock, Postman and other outputs. */
  CONVERTER("converter", "converter-service", 5773, 5793),
  /** The public REST API; hands sessions to the proxies over gRPC. */
  CONTROL("control", "control-service", 5770, 5790),
  /** Listens on session ports and captures traffic into Kafka; connects to control. Serves no gRPC. */
  PROXY("proxy", "proxy-service", 5771, 0);

  private final String shortName;
  private final String module;
  private final int defaultHttpPort;
  private final int defaultGrpcPort;

  Service(String shortName, String module, int defaultHttpPort, int defaultGrpcPort) {
    this.shortName = shortName;
    this.module = module;
    this.defaultHttpPort = defaultHttpPort;
    this.defaultGrpcPort = defaultGrpcPort;
  }

  /** {@code storage}, {@code converter}, {@code control} or {@code proxy}: names its log file. */
  public String shortName() {
    return shortName;
  }

  /** The Maven module folder under the repository root, e.g. {@code control-service}. */
  public String module() {
    return module;
  }

  /** The HTTP port {@code make run} uses (REST, health, metrics; never gRPC). */
  public int defaultHttpPort() {
    return defaultHttpPort;
  }

  /** Whether the service serves gRPC (on its internal port): all but the proxy. */
  public boolean servesGrpc() {
    return defaultGrpcPort != 0;
  }

  /**
   * The internal gRPC port {@code make run} uses: 5790 control, 5792 storage, 5793 converter.
   *
   * @throws IllegalStateException for the proxy, which serves no gRPC
   */
  public int defaultGrpcPort() {
    if (!servesGrpc()) {
      throw new IllegalStateException(module + " serves no gRPC");
    }
    return defaultGrpcPort;
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
