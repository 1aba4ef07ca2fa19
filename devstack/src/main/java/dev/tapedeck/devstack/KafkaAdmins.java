package dev.tapedeck.devstack;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Creates the short-lived admin clients the dev stack uses against its own broker. */
final class KafkaAdmins {
  private KafkaAdmins() {}

  /** An admin client for {@code bootstrap} with short timeouts, so waits can poll. */
  static Admin create(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.CLIENT_ID_CONFIG, "tapedeck-devstack",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
            AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 100,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100));
  }
}
