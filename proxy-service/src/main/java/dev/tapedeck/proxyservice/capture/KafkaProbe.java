package dev.tapedeck.proxyservice.capture;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Tells whether a Kafka broker answers now, within a second, before a spool is published. */
final class KafkaProbe {
  private static final int TIMEOUT_MS = 1000;

  private final Properties config = new Properties();
  private Admin admin;

  KafkaProbe(String bootstrap) {
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tapedeck-proxy-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
  }

  /** True if a broker described the cluster within a second. Called on one thread. */
  boolean reachable() {
    try {
      if (admin == null) {
        admin = Admin.create(config);
      }
      return !admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
          .nodes()
          .get(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .isEmpty();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return false;
    }
  }
}
