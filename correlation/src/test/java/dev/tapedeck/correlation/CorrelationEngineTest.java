package dev.tapedeck.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.correlation.Correlation.Target;
import dev.tapedeck.correlation.Step.Header;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorrelationEngineTest {
  private static final String TOKEN = "tok_9f8e7d6c5b4a3210";

  private static Step login() {
    return new Step("e1", "POST", "http://api.test/login", List.of(new Header("Content-Type", "application/json")),
        "{\"user\":\"user3\"}", 200, List.of(new Header("Set-Cookie", "sid=abcdef123456; Path=/"), new Header("X-Csrf-Token", "csrf-112233")),
        "{\"token\":\"" + TOKEN + "\",\"user\":{\"id\":1234567}}");
  }

  @Test
  void findsTheLoginTokenSentBackAsBearerAndTheCreatedIdInTheUrl() {
    Step me = new Step("e2", "GET", "http://api.test/users/1234567", List.of(new Header("Authorization", "Bearer " + TOKEN)),
        null, 200, List.of(), "{\"name\":\"user3\"}");
    Step form = new Step("e3", "POST", "http://api.test/orders?session=abcdef123456",
        List.of(new Header("Content-Type", "application/x-www-form-urlencoded"), new Header("Cookie", "sid=abcdef123456"), new Header("X-Csrf-Token", "csrf-112233")),
        "csrf=csrf-112233&qty=1", 201, List.of(), "{}");

    List<Correlation> found = CorrelationEngine.correlate(List.of(login(), me, form), CorrelationOptions.DEFAULTS);

    Correlation token = found.stream().filter(c -> c.value().equals(TOKEN)).findFirst().orElseThrow();
    assertThat(token.source().entryId()).isEqualTo("e1");
    assertThat(token.source().path()).isEqualTo("$.token");
    assertThat(token.variable()).isEqualTo("token");
    assertThat(token.valueType()).isEqualTo("token");
    assertThat(token.targets()).containsExactly(new Target("e2", "header", "Authorization"));
    assertThat(token.confidence()).isGreaterThan(0.8);

    Correlation id = found.stream().filter(c -> c.value().equals("1234567")).findFirst().orElseThrow();
    assertThat(id.source().path()).isEqualTo("$.user.id");
    assertThat(id.valueType()).isEqualTo("numeric");
    assertThat(id.targets()).containsExactly(new Target("e2", "url", "/2"));

    Correlation cookie = found.stream().filter(c -> c.value().equals("abcdef123456")).findFirst().orElseThrow();
    assertThat(cookie.source().section()).isEqualTo("setCookie");
    assertThat(cookie.targets()).contains(new Target("e3", "cookie", "sid"), new Target("e3", "query", "session"));

    Correlation csrf = found.stream().filter(c -> c.value().equals("csrf-112233")).findFirst().orElseThrow();
    assertThat(csrf.source().name()).isEqualTo("X-Csrf-Token");
    assertThat(csrf.targets()).contains(new Target("e3", "header", "X-Csrf-Token"), new Target("e3", "form", "csrf"));
  }

  @Test
  void optionsDropShortAndNumericValuesAndCapCorrelationsPerSource() {
    Step me = new Step("e2", "GET", "http://api.test/users/1234567", List.of(new Header("Authorization", "Bearer " + TOKEN)),
        null, 200, List.of(), null);
    assertThat(CorrelationEngine.correlate(List.of(login(), me), new CorrelationOptions(6, true, 50)))
        .extracting(Correlation::value).containsExactly(TOKEN);
    assertThat(CorrelationEngine.correlate(List.of(login(), me), new CorrelationOptions(30, false, 50))).isEmpty();
    assertThat(CorrelationEngine.correlate(List.of(login(), me), new CorrelationOptions(6, false, 1))).hasSize(1);
    assertThat(new CorrelationOptions(0, false, 0).problems()).extracting(CorrelationOptions.Problem::field)
        .containsExactly("minValueLength", "maxCorrelationsPerSource");
  }

  @Test
  void sourceReaderTakesTheNewValueFromANewResponse() {
    Correlation token = CorrelationEngine.correlate(List.of(login(),
        new Step("e2", "GET", "http://api.test/me", List.of(new Header("Authorization", "Bearer " + TOKEN)), null, 200, List.of(), null)),
        CorrelationOptions.DEFAULTS).get(0);
    assertThat(SourceReader.read(token.source(), List.of(), "{\"token\":\"fresh-1\"}")).contains("fresh-1");
    Substitution s = new Substitution();
    s.put(TOKEN, "fresh-1");
    assertThat(s.apply("Bearer " + TOKEN)).isEqualTo("Bearer fresh-1");
  }

  @Test
  void jsonPathsQuoteOddNamesAndReadBack() throws Exception {
    var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"a b\":[{\"c\":1}],\"d\":{\"e\":\"x\"}}");
    java.util.List<String> paths = new java.util.ArrayList<>();
    JsonPaths.leaves(root, (p, n) -> paths.add(p));
    assertThat(paths).containsExactly("$['a b'][0].c", "$.d.e");
    assertThat(JsonPaths.read(root, "$['a b'][0].c").orElseThrow().asInt()).isEqualTo(1);
    assertThat(JsonPaths.read(root, "$.d.e").orElseThrow().asText()).isEqualTo("x");
  }
}
