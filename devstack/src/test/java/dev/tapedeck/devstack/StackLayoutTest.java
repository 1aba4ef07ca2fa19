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
    StackLayout custom = layout.withHttpPort(Service.STORAGE, 41000).withProxyPorts(30000, 30049);
    assertThat(custom.env(Service.CONTROL))
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "41000")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONVERTER_PORT", "5773")
        .containsEntry("TAPEDECK_PROXY_PORT_MIN", "30000")
        .containsEntry("TAPEDECK_PROXY_PORT_MAX", "30049")
        .doesNotContainKey("TAPEDECK_AUTH_ENABLED");
  }

  @Test
  void pointsConverterAtStorageAndProxyAtControl() {
    assertThat(layout.env(Service.CONVERTER))
        .containsEntry("QUARKUS_GRPC_CLIENTS_STORAGE_PORT", "5772");
    assertThat(layout.env(Service.PROXY))
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_HOST", "127.0.0.1")
        .containsEntry("QUARKUS_GRPC_CLIENTS_CONTROL_PORT", "5770")
        .containsKey("TAPEDECK_PROXY_ID");
    assertThat(layout.env(Service.STORAGE)).doesNotContainKey("QUARKUS_GRPC_CLIENTS_STORAGE_PORT");
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
