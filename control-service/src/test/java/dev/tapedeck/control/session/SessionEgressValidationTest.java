package dev.tapedeck.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.policy.EgressPolicy;
import dev.tapedeck.policy.ProxyAuth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane's up-front egress check of literal addresses, and proxyAuth validation. */
class SessionEgressValidationTest {
  private final SessionConfigValidator validator =
      new SessionConfigValidator(
          1 << 20,
          8081,
          8999,
          EgressPolicy.of(List.of("10.20.0.0/16"), List.copyOf(EgressPolicy.INTERNAL_RANGES.keySet()), List.of(), List.of(), "*"));

  private static StartRequest request(String mode, String target, Map<String, String> dnsMap, String upstreamProxy, ProxyAuth auth) {
    return new StartRequest(
        null, mode, target, null, null, null, null, null, null, null, null, dnsMap, null, null, upstreamProxy, null, null, null, auth, null, null);
  }

  private List<FieldError> errors(StartRequest r) {
    return catchThrowableOfType(ApiException.class, () -> validator.validate(r)).fields();
  }

  @Test
  void refusesLiteralInternalAddressesNamingTheField() {
    List<FieldError> errors =
        errors(request("reverse", "http://169.254.169.254/latest", Map.of("api.example.com", "127.0.0.1"), "http://[::1]:3128", null));
    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("targetUrl", "dnsMap.api.example.com", "upstreamProxy");
    assertThat(errors.stream().filter(e -> e.field().equals("targetUrl")).findFirst().orElseThrow().message())
        .contains("169.254.169.254")
        .contains("169.254.0.0/16");
  }

  @Test
  void refusesLocalhostAsLoopback() {
    assertThat(errors(request("reverse", "http://localhost:5780", null, null, null))).extracting(FieldError::field).containsExactly("targetUrl");
  }

  @Test
  void acceptsNamesPublicAddressesAndAllowedCidrs() {
    assertThat(validator.validate(request("reverse", "http://api.example.com", null, null, null)).targetUrl()).isEqualTo("http://api.example.com");
    assertThat(validator.validate(request("reverse", "http://10.20.3.4:8080", null, null, null)).targetUrl()).isEqualTo("http://10.20.3.4:8080");
    assertThat(validator.validate(request("forward", null, Map.of("a.example.com", "93.184.216.34"), null, null)).mode()).isEqualTo("forward");
  }

  @Test
  void proxyAuthIsValidatedForTheModeAndKeptInTheTransport() {
    assertThat(errors(request("forward", null, null, null, new ProxyAuth("alice", null, null, null))))
        .extracting(FieldError::field)
        .containsExactly("proxyAuth.password");
    assertThat(errors(request("reverse", "http://api.example.com", null, null, new ProxyAuth(null, null, "X Key", "v"))))
        .extracting(FieldError::field)
        .containsExactly("proxyAuth.header");
    SessionConfig c = validator.validate(request("forward", null, null, null, new ProxyAuth("alice", "s3cret", null, null)));
    assertThat(c.transport().proxyAuth()).isEqualTo(new ProxyAuth("alice", "s3cret", null, null));
  }

  @Test
  void theSessionViewNeverShowsTheProxyAuthSecret() {
    SessionConfig c = validator.validate(request("reverse", "http://api.example.com", null, null, new ProxyAuth(null, null, "X-Key", "k-123")));
    SessionView view = SessionView.of(new Session("s1", "u1", c, Session.RUNNING, Instant.now(), Instant.now(), null, 1), null, null);
    assertThat(view.proxyAuth()).isEqualTo(new ProxyAuth(null, null, "X-Key", "(set)"));
  }
}
