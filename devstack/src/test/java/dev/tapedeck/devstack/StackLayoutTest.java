package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackLayoutTest {
  private final StackLayout layout =
      StackLayout.defaults(Path.of("/data"), "127.0.0.1:9092", "mongodb://127.0.0.1:27017");

  @Test
  void givesEveryServiceItsPortDataAndInfrastructure() {
    for (Service service : Service.values()) {
      Map<String, String> env = layout.env(service);
      assertThat(env)
          .containsEntry("QUARKUS_HTTP_PORT", Integer.toString(service.defaultHttpPort()))
          .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
          .containsEntry("TAPEDECK_DATA_DIR", "/data")
          .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
          .containsEntry("QUARKUS_MONGODB_CONNECTION_STRING", "mongodb://127.0.0.1:27017");
    }
  }

  @Test
  void pointsControlAtStorageConverterAndThePortWindow() {
    StackLayout custom = layout.withGrpcPort(Service.STORAGE, 41000).withProxyPorts(30000, 30049);
    assertThat(custom.env(Service.CONTROL))
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "41000")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_PORT", "5793")
        .containsEntry("TAPEDECK_PROXY_PORT_MIN", "30000")
        .containsEntry("TAPEDECK_PROXY_PORT_MAX", "30049")
        .doesNotContainKey("TAPEDECK_AUTH_ENABLED");
  }

  @Test
  void pointsConverterAtStorageAndProxyAtControl() {
    assertThat(layout.env(Service.CONVERTER))
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "5792");
    assertThat(layout.env(Service.PROXY))
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_PORT", "5790")
        .containsKey("TAPEDECK_PROXY_ID");
    assertThat(layout.env(Service.STORAGE)).doesNotContainKey("QUARKUS_GRPC_CLIENTS_STORAGE_PORT");
  }

  @Test
  void servesGrpcOnAnInternalLoopbackPortApartFromTheHttpPort() {
    for (Service service : new Service[] {Service.CONTROL, Service.STORAGE, Service.CONVERTER}) {
      assertThat(layout.env(service))
          .as(service.module())
          .containsEntry("QUARKUS_GRPC_SERVER_PORT", Integer.toString(service.defaultGrpcPort()))
          .containsEntry("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
      assertThat(service.defaultGrpcPort()).isNotEqualTo(service.defaultHttpPort());
    }
    assertThat(layout.grpcPort(Service.CONTROL)).isEqualTo(5790);
    assertThat(layout.grpcPort(Service.STORAGE)).isEqualTo(5792);
    assertThat(layout.grpcPort(Service.CONVERTER)).isEqualTo(5793);
    assertThat(Service.PROXY.servesGrpc()).isFalse();
    assertThat(layout.env(Service.PROXY)).doesNotContainKey("QUARKUS_GRPC_SERVER_PORT");
    assertThat(layout.withGrpcPort(Service.CONTROL, 41001).env(Service.PROXY))
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_PORT", "41001");
  }

  @Test
  void givesEveryServiceTheSameGeneratedInternalToken() {
    String token = layout.internalToken();

    assertThat(token).matches("[0-9a-f]{48}");
    for (Service service : Service.values()) {
      assertThat(layout.env(service)).as(service.module()).containsEntry("TAPEDECK_INTERNAL_TOKEN", token);
    }
    assertThat(StackLayout.defaults(Path.of("/data"), "k:1", "m").internalToken())
        .as("a fresh token per layout")
        .isNotEqualTo(token);
  }

  @Test
  void turnsAuthOffOnlyForControl() {
    StackLayout noAuth = layout.withAuth(false);
    assertThat(noAuth.env(Service.CONTROL)).containsEntry("TAPEDECK_AUTH_ENABLED", "false");
    assertThat(noAuth.env(Service.PROXY)).doesNotContainKey("TAPEDECK_AUTH_ENABLED");
  }

  @Test
  void locatesRunnerJarsAndAdminKey() {
    assertThat(Service.PROXY.runnerJar(Path.of("/repo")))
        .isEqualTo(Path.of("/repo/proxy-service/target/quarkus-app/quarkus-run.jar"));
    assertThat(layout.adminKeyFile()).isEqualTo(Path.of("/data/admin-api-key"));
    assertThat(Service.named("control-service")).isEqualTo(Service.CONTROL);
    assertThat(Service.named("storage")).isEqualTo(Service.STORAGE);
  }
}
