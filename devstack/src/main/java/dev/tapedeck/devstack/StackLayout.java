package dev.tapedeck.devstack;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where everything of one running Tapedeck system is: the data folder, Kafka, MongoDB, each
 * service's HTTP port and internal gRPC port, the proxy's session port window and the internal
 * token every gRPC call carries; and, from that, the environment each service process gets. {@code make run} and the test kit build their systems from it.
 *
 * <p>Immutable; the {@code with...} methods return changed copies.
 */
public final class StackLayout {
  /**
   * The egress policy of a local system (control-service validates with it, proxy-service
   * enforces it): loopback and the private ranges stay reachable, since local development targets
   * them, while link-local (cloud metadata) stays refused; {@code CONNECT} may open any port. A
   * cluster install keeps the services' own defaults, which refuse all of these.
   */
  public static final Map<String, String> DEV_EGRESS =
      Map.of(
          "TAPEDECK_EGRESS_DENY_CIDRS", "169.254.0.0/16,fe80::/10",
          "TAPEDECK_EGRESS_CONNECT_PORTS", "*");

  /** First session port the proxy hands out by default. */
  public static final int DEFAULT_PROXY_PORT_MIN = 8081;

  /** Last session port the proxy hands out by default. */
  public static final int DEFAULT_PROXY_PORT_MAX = 8999;

  private final Path dataDir;
  private final String kafkaBootstrap;
  private final String mongoUri;
  private final Map<Service, Integer> httpPorts;
  private final Map<Service, Integer> grpcPorts;
  private final int proxyPortMin;
  private final int proxyPortMax;
  private final boolean authEnabled;
  private final String proxyId;
  private final String internalToken;

  private StackLayout(
      Path dataDir,
      String kafkaBootstrap,
      String mongoUri,
      Map<Service, Integer> httpPorts,
      Map<Service, Integer> grpcPorts,
      int proxyPortMin,
      int proxyPortMax,
      boolean authEnabled,
      String proxyId,
      String internalToken) {
    this.dataDir = dataDir;
    this.kafkaBootstrap = kafkaBootstrap;
    this.mongoUri = mongoUri;
    this.httpPorts = new EnumMap<>(httpPorts);
    this.grpcPorts = new EnumMap<>(grpcPorts);
    this.proxyPortMin = proxyPortMin;
    this.proxyPortMax = proxyPortMax;
    this.authEnabled = authEnabled;
    this.proxyId = proxyId;
    this.internalToken = internalToken;
  }

  /**
   * The {@code make run} layout for a stack at {@code kafkaBootstrap} and {@code mongoUri}: the
   * services on 5770-5773, their internal gRPC on 5790, 5792 and 5793, session ports 8081-8999,
   * auth on, a fresh proxy id and a fresh internal token.
   */
  public static StackLayout defaults(Path dataDir, String kafkaBootstrap, String mongoUri) {
    Map<Service, Integer> ports = new EnumMap<>(Service.class);
    Map<Service, Integer> grpc = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      ports.put(service, service.defaultHttpPort());
      if (service.servesGrpc()) {
        grpc.put(service, service.defaultGrpcPort());
      }
    }
    return new StackLayout(
        dataDir,
        kafkaBootstrap,
        mongoUri,
        ports,
        grpc,
        DEFAULT_PROXY_PORT_MIN,
        DEFAULT_PROXY_PORT_MAX,
        true,
        newProxyId(),
        newInternalToken());
  }

  /** A copy with {@code service} on {@code port}. */
  public StackLayout withHttpPort(Service service, int port) {
    Map<Service, Integer> ports = new EnumMap<>(httpPorts);
    ports.put(service, port);
    return new StackLayout(
        dataDir, kafkaBootstrap, mongoUri, ports, grpcPorts, proxyPortMin, proxyPortMax, authEnabled, proxyId,
        internalToken);
  }

  /**
   * A copy with {@code service}'s internal gRPC on {@code port}.
   *
   * @throws IllegalArgumentException for the proxy, which serves no gRPC
   */
  public StackLayout withGrpcPort(Service service, int port) {
    if (!service.servesGrpc()) {
      throw new IllegalArgumentException(service.module() + " serves no gRPC");
    }
    Map<Service, Integer> ports = new EnumMap<>(grpcPorts);
    ports.put(service, port);
    return new StackLayout(
        dataDir, kafkaBootstrap, mongoUri, httpPorts, ports, proxyPortMin, proxyPortMax, authEnabled, proxyId,
        internalToken);
  }

  /** A copy whose proxy hands out session ports {@code min}..{@code max} (inclusive). */
  public StackLayout withProxyPorts(int min, int max) {
    if (min < 1 || max < min || max > 65535) {
      throw new IllegalArgumentException("bad proxy port range " + min + "-" + max);
    }
    return new StackLayout(
        dataDir, kafkaBootstrap, mongoUri, httpPorts, grpcPorts, min, max, authEnabled, proxyId, internalToken);
  }

  /** A copy with the control service's API key check on or off. */
  public StackLayout withAuth(boolean enabled) {
    return new StackLayout(
        dataDir, kafkaBootstrap, mongoUri, httpPorts, grpcPorts, proxyPortMin, proxyPortMax, enabled, proxyId,
        internalToken);
  }

  /** The environment variables {@code service} is started with (on top of this process's). */
  public Map<String, String> env(Service service) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort(service)));
    env.put("QUARKUS_HTTP_HOST", LoopbackPorts.HOST);
    env.put("TAPEDECK_DATA_DIR", dataDir.toString());
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
    env.put("QUARKUS_MONGODB_CONNECTION_STRING", mongoUri);
    // Every gRPC call between the services carries it; the servers refuse calls without it.
    env.put("TAPEDECK_INTERNAL_TOKEN", internalToken);
    if (service.servesGrpc()) {
      env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort(service)));
      env.put("QUARKUS_GRPC_SERVER_HOST", LoopbackPorts.HOST);
    }
    switch (service) {
      case CONTROL -> {
        grpcClient(env, "STORAGE", Service.STORAGE);
        grpcClient(env, "CONVERTER", Service.CONVERTER);
        env.put("TAPEDECK_PROXY_PORT_MIN", Integer.toString(proxyPortMin));
        env.put("TAPEDECK_PROXY_PORT_MAX", Integer.toString(proxyPortMax));
        env.putAll(DEV_EGRESS);
        if (!authEnabled) {
          env.put("TAPEDECK_AUTH_ENABLED", "false");
        }
      }
      case CONVERTER -> grpcClient(env, "STORAGE", Service.STORAGE);
      case PROXY -> {
        grpcClient(env, "CONTROL", Service.CONTROL);
        env.put("TAPEDECK_PROXY_ID", proxyId);
        env.putAll(DEV_EGRESS);
      }
      case STORAGE -> {
        // Storage calls no other service.
      }
    }
    return env;
  }

  private void grpcClient(Map<String, String> env, String client, Service target) {
    env.put("QUARKUS_GRPC_CLIENTS_" + client + "_HOST", LoopbackPorts.HOST);
    env.put("QUARKUS_GRPC_CLIENTS_" + client + "_PORT", Integer.toString(grpcPort(target)));
  }

  /** The service's HTTP port: REST, health and metrics, never gRPC. */
  public int httpPort(Service service) {
    return httpPorts.get(service);
  }

  /**
   * The service's internal gRPC port.
   *
   * @throws IllegalArgumentException for the proxy, which serves no gRPC
   */
  public int grpcPort(Service service) {
    Integer port = grpcPorts.get(service);
    if (port == null) {
      throw new IllegalArgumentException(service.module() + " serves no gRPC");
    }
    return port;
  }

  /** The secret every internal gRPC call carries ({@code TAPEDECK_INTERNAL_TOKEN}). */
  public String internalToken() {
    return internalToken;
  }

  /** {@code http://127.0.0.1:<port>} of the service. */
  public String url(Service service) {
    return "http://" + LoopbackPorts.HOST + ":" + httpPort(service);
  }

  /** The data folder the services share. */
  public Path dataDir() {
    return dataDir;
  }

  /** Kafka's {@code bootstrap.servers}. */
  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  /** MongoDB's connection string. */
  public String mongoUri() {
    return mongoUri;
  }

  /** First session port of the proxy. */
  public int proxyPortMin() {
    return proxyPortMin;
  }

  /** Last session port of the proxy (inclusive). */
  public int proxyPortMax() {
    return proxyPortMax;
  }

  /** Whether the control service checks API keys. */
  public boolean authEnabled() {
    return authEnabled;
  }

  /** The id the proxy registers with at the control service. */
  public String proxyId() {
    return proxyId;
  }

  /** Where control-service keeps the admin API key: {@code <data>/admin-api-key}. */
  public Path adminKeyFile() {
    return dataDir.resolve("admin-api-key");
  }

  /**
   * A fresh secret for the internal gRPC calls (48 hex characters); the interception CA is given
   * against it too.
   */
  private static String newInternalToken() {
    byte[] bytes = new byte[24];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private static String newProxyId() {
    return "proxy-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
