package dev.tapedeck.deploy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One documented way to install the chart (docs/deploy.md): the values on top of the defaults and
 * the session port window they lead to. Renders are cached: every check of a case reads one render.
 */
record RenderCase(String name, String values, int portStart, int portEnd) {
  private static final Map<String, Rendered> RENDERS = new ConcurrentHashMap<>();

  static final RenderCase DEFAULTS = new RenderCase("defaults", "", 8081, 8090);
  static final RenderCase INGRESS =
      of(
          "ingress",
          """
          ingress:
            enabled: true
            className: nginx
            hosts:
              - host: tapedeck.example.com
                paths: [{path: /, pathType: Prefix}]
            tls:
              - secretName: tapedeck-tls
                hosts: [tapedeck.example.com]
          """);
  static final RenderCase SERVICE_MONITOR =
      of("serviceMonitor", "metrics:\n  serviceMonitor:\n    enabled: true\n    labels: {release: prometheus}\n");
  static final RenderCase EXISTING_SECRET = of("existingSecret", "existingSecret: my-tapedeck-secrets\n");
  static final RenderCase NETWORK_POLICY_OFF = of("networkPolicyOff", "networkPolicy:\n  enabled: false\n");
  static final RenderCase PORT_WINDOW =
      new RenderCase("portWindow", "sessionPorts:\n  start: 9000\n  end: 9049\n", 9000, 9049);
  static final RenderCase EXTERNAL_STORES =
      of(
          "externalKafkaMongo",
          """
          externalKafka:
            bootstrapServers: broker-0.kafka.svc:9092,broker-1.kafka.svc:9092
          externalMongodb:
            connectionString: mongodb://tapedeck:s3cret@mongo-0.mongo.svc:27017/?replicaSet=rs0
            database: recordings
          """);
  static final RenderCase AUTOSCALING_OFF =
      of("autoscalingOff", "proxy:\n  replicaCount: 3\n  autoscaling:\n    enabled: false\n");
  static final RenderCase BUNDLED_STORES =
      of("bundledKafkaMongo", "kafka:\n  enabled: true\nmongodb:\n  enabled: true\n");
  static final RenderCase CA = of("caSecret", "ca:\n  existingSecret: tapedeck-ca\n");
  static final RenderCase AUTH_OFF_NO_ANNOTATIONS =
      of("authOffNoAnnotations", "auth:\n  enabled: false\nmetrics:\n  podAnnotations: false\n");

  static List<RenderCase> all() {
    return List.of(
        DEFAULTS,
        INGRESS,
        SERVICE_MONITOR,
        EXISTING_SECRET,
        NETWORK_POLICY_OFF,
        PORT_WINDOW,
        EXTERNAL_STORES,
        AUTOSCALING_OFF,
        BUNDLED_STORES,
        CA,
        AUTH_OFF_NO_ANNOTATIONS);
  }

  private static RenderCase of(String name, String values) {
    return new RenderCase(name, values, 8081, 8090);
  }

  Rendered render() {
    return RENDERS.computeIfAbsent(name, n -> Rendered.of(Chart.staged().render(values)));
  }

  @Override
  public String toString() {
    return name;
  }
}
