package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WalkthroughTest {
  private final StackLayout layout =
      StackLayout.defaults(Path.of("/data"), "127.0.0.1:9092", "mongodb://127.0.0.1:27017");

  @Test
  void printsKeyFileKeyAndAuthorizedCurls() {
    String text = Walkthrough.render(layout, Optional.of("tdk_abc"), "http://localhost:5780");
    assertThat(text)
        .contains("http://localhost:5770")
        .contains("/data/admin-api-key")
        .contains("tdk_abc")
        .contains("KEY=$(cat /data/admin-api-key)")
        .contains(
            "SESSION=$(curl -s -X POST http://localhost:5770/api/v1/recorder/start -H"
                + " \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' -d"
                + " '{\"mode\":\"reverse\",\"targetUrl\":\"http://localhost:5780\"}')")
        .contains("curl -s \"http://localhost:$PORT/hello?name=tapedeck\"")
        .contains("/api/v1/recorder/$ID/entries")
        .doesNotContain("<id>")
        .contains(
            "curl -s -H \"Authorization: Bearer $KEY\""
                + " http://localhost:5770/api/v1/recorder/sessions");
  }

  @Test
  void saysAuthIsOffAndDropsTheKey() {
    String text =
        Walkthrough.render(layout.withAuth(false), Optional.empty(), "http://localhost:5780");
    assertThat(text)
        .contains("Auth:           OFF")
        .doesNotContain("$KEY")
        .doesNotContain("Bearer");
  }

  @Test
  void saysLoopbackAndPrivateTargetsAreAllowedAndEveryServiceGetsThatPolicy() {
    String text = Walkthrough.render(layout, Optional.empty(), "http://localhost:5780");
    assertThat(text).contains("Egress:").contains("loopback and private").contains("169.254.0.0/16");
    assertThat(layout.env(Service.PROXY)).containsEntry("TAPEDECK_EGRESS_DENY_CIDRS", "169.254.0.0/16,fe80::/10");
    assertThat(layout.env(Service.CONTROL)).containsEntry("TAPEDECK_EGRESS_CONNECT_PORTS", "*");
  }
}
