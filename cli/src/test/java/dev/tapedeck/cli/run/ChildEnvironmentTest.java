package dev.tapedeck.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildEnvironmentTest {
  private static final Map<String, String> USER =
      Map.of("PATH", "/usr/bin", "NO_PROXY", "localhost,.corp.example,10.0.0.1:8080", "JAVA_TOOL_OPTIONS", "-Xmx1g");

  @Test
  void pointsBothSpellingsOfTheProxyVariablesAtTheSessionAndKeepsTheUsersNoProxy() {
    Map<String, String> env = ChildEnvironment.build(USER, "s1", "http://127.0.0.1:8081", null, null);

    assertThat(env)
        .containsEntry("HTTP_PROXY", "http://127.0.0.1:8081")
        .containsEntry("HTTPS_PROXY", "http://127.0.0.1:8081")
        .containsEntry("http_proxy", "http://127.0.0.1:8081")
        .containsEntry("https_proxy", "http://127.0.0.1:8081")
        .containsEntry("NO_PROXY", "localhost,.corp.example,10.0.0.1:8080")
        .doesNotContainKey("no_proxy")
        .containsEntry("PATH", "/usr/bin")
        .containsEntry("TAPEDECK_SESSION_ID", "s1")
        .doesNotContainKeys("SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE");
    assertThat(env.get("JAVA_TOOL_OPTIONS"))
        .startsWith("-Xmx1g ")
        .contains("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=8081", "-Dhttps.proxyHost=127.0.0.1", "-Dhttps.proxyPort=8081")
        .contains("-Dhttp.nonProxyHosts=localhost|*.corp.example|10.0.0.1")
        .doesNotContain("trustStore");
  }

  @Test
  void noProxyFlagSetsBothSpellingsAndAnEmptyValueStopsTheJvmsLocalhostBypass() {
    Map<String, String> env = ChildEnvironment.build(USER, "s1", "http://127.0.0.1:8081", "", null);

    assertThat(env).containsEntry("NO_PROXY", "").containsEntry("no_proxy", "");
    assertThat(env.get("JAVA_TOOL_OPTIONS")).endsWith("-Dhttp.nonProxyHosts=");
  }

  @Test
  void mitmTrustsTheCaThroughEveryClientsVariable() {
    TrustFiles trust = new TrustFiles(Path.of("/t/tapedeck-ca.pem"), Path.of("/t/ca-bundle.pem"), Path.of("/t/truststore.p12"), "pw");

    Map<String, String> env = ChildEnvironment.build(Map.of(), "s1", "http://proxy.example:8090", null, trust);

    assertThat(env)
        .containsEntry("SSL_CERT_FILE", "/t/ca-bundle.pem")
        .containsEntry("REQUESTS_CA_BUNDLE", "/t/ca-bundle.pem")
        .containsEntry("CURL_CA_BUNDLE", "/t/ca-bundle.pem")
        .containsEntry("NODE_EXTRA_CA_CERTS", "/t/tapedeck-ca.pem");
    assertThat(env.get("JAVA_TOOL_OPTIONS"))
        .isEqualTo("-Dhttp.proxyHost=proxy.example -Dhttp.proxyPort=8090 -Dhttps.proxyHost=proxy.example -Dhttps.proxyPort=8090"
            + " -Djavax.net.ssl.trustStore=/t/truststore.p12 -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=pw");
  }

  @Test
  void noProxyEntriesTheJvmCannotTakeAreLeftOut() {
    assertThat(ChildEnvironment.jvmNonProxyHosts(" a.example , ,b|c, .d.example,[::1]")).isEqualTo("a.example|*.d.example|[::1]");
    assertThat(ChildEnvironment.jvmNonProxyHosts("*")).isEqualTo("*");
    assertThat(ChildEnvironment.jvmNonProxyHosts(null)).isNull();
  }
}
