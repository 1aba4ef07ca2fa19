package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each filter dimension, and their combination, on the same five exchanges through a real proxy:
 * every exchange is proxied (the client gets the upstream's answer) and only those in scope are
 * recorded.
 */
class ScopeFiltersTest extends PolicyTestBase {

  static Stream<Arguments> filters() {
    List<String> all = List.of("GET /hello", "POST /echo", "GET /image", "GET /missing", "DELETE /hello");
    return Stream.of(
        Arguments.of("{}", all),
        Arguments.of("{\"includeHosts\":[\"api.example.test\"]}", all),
        Arguments.of("{\"includeHosts\":[\"*.other.test\"]}", List.of()),
        Arguments.of("{\"includeHosts\":[\"*.example.test\"]}", all),
        Arguments.of("{\"excludeHosts\":[\"api.example.*\"]}", List.of()),
        Arguments.of("{\"excludeHosts\":[\"telemetry.example.test\"]}", all),
        Arguments.of("{\"includePaths\":[\"/h*\"]}", List.of("GET /hello", "DELETE /hello")),
        Arguments.of("{\"excludePaths\":[\"/{image,missing}\"]}", List.of("GET /hello", "POST /echo", "DELETE /hello")),
        Arguments.of("{\"includeMethods\":[\"get\"]}", List.of("GET /hello", "GET /image", "GET /missing")),
        Arguments.of("{\"excludeStatus\":[404, 201]}", List.of("GET /hello", "GET /image", "DELETE /hello")),
        // Combined: every dimension must let the exchange through, and any exclude wins.
        Arguments.of(
            "{\"includeHosts\":[\"*.example.test\"],\"includePaths\":[\"/*\"],\"excludePaths\":[\"/image\"],"
                + "\"includeMethods\":[\"GET\",\"POST\"],\"excludeStatus\":[404]}",
            List.of("GET /hello", "POST /echo")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void recordsOnlyExchangesInScopeButProxiesAll(String filters, List<String> expected) throws Exception {
    // The target's host name is mapped to loopback, so host patterns see a real name.
    int port =
        startProxy(
            policies(
                "http://api.example.test:" + upstreamPort(),
                "{\"filters\":" + filters + ",\"dnsMap\":{\"api.example.test\":\"127.0.0.1\"}}",
                1));
    assertThat(get(port, "/hello?name=x").statusCode()).isEqualTo(200);
    assertThat(send(port, "POST", "/echo", "hi").statusCode()).isEqualTo(201);
    assertThat(get(port, "/image").statusCode()).isEqualTo(200);
    assertThat(get(port, "/missing").statusCode()).isEqualTo(404);
    assertThat(send(port, "DELETE", "/hello", null).statusCode()).isEqualTo(200);
    settle();

    assertThat(captured.stream().map(ScopeFiltersTest::describe).toList()).containsExactlyElementsOf(expected);
    captured.forEach(x -> assertThat(x.getRequest().getUrl()).startsWith("http://api.example.test:"));
  }

  private static String describe(CapturedExchange x) {
    return x.getRequest().getMethod() + " " + URI.create(x.getRequest().getUrl()).getPath();
  }
}
