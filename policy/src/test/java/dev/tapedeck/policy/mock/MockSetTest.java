package dev.tapedeck.policy.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MockSetTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CompiledMock mock(String id, int priority, String json) throws Exception {
    return CompiledMock.compile(id, priority, true, JSON.readTree(json));
  }

  private static MockRequest get(String uri, Map<String, String> headers) {
    return MockRequest.of("GET", uri, List.copyOf(headers.entrySet()), new byte[0]);
  }

  private static MockRequest post(String uri, String body) {
    return MockRequest.of("POST", uri, List.of(Map.entry("Content-Type", "application/json")), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theLoosenedFieldsOfARecordingMatchAnyValueAndTheConstantOnesExactly() throws Exception {
    CompiledMock loose =
        mock("loose", 4, """
            {"request": {"method": "POST", "urlPathTemplate": "/users/{id}/orders",
                         "queryParameters": {"page": {"matches": ".*"}, "sort": {"equalTo": "asc"}},
                         "bodyPatterns": [{"equalToJson": {"amount": "${json-unit.ignore}", "currency": "EUR"},
                                           "ignoreExtraElements": true}]},
             "response": {"status": 201, "body": "ok"}}
            """);
    MockSet set = new MockSet(List.of(loose));
    ScenarioStates states = new ScenarioStates();
    assertThat(set.match(post("/users/42/orders?page=3&sort=asc", "{\"amount\": 12, \"currency\": \"EUR\", \"note\": \"x\"}"), states, true))
        .isSameAs(loose);
    assertThat(set.match(post("/users/42/orders?page=3&sort=desc", "{\"amount\": 1, \"currency\": \"EUR\"}"), states, true)).isNull();
    assertThat(set.match(post("/users/42/orders?page=3&sort=asc", "{\"amount\": 1, \"currency\": \"USD\"}"), states, true)).isNull();
    assertThat(set.match(post("/users/42/items?sort=asc&page=1", "{\"currency\": \"EUR\"}"), states, true)).isNull();
    // Map Local decides on the head: the body is not compared.
    assertThat(set.match(post("/users/42/orders?page=3&sort=asc", "{\"currency\": \"USD\"}"), states, false)).isSameAs(loose);
  }

  @Test
  void theLowerPriorityNumberWinsAndAnExactMockComesBeforeItsFallback() throws Exception {
    CompiledMock exact = mock("exact", 1, "{\"request\": {\"method\": \"GET\", \"url\": \"/a?x=1\"}, \"response\": {\"status\": 200}}");
    CompiledMock fallback = mock("fallback", 5, "{\"request\": {\"method\": \"GET\", \"urlPath\": \"/a\"}, \"response\": {\"status\": 202}}");
    MockSet set = new MockSet(List.of(fallback, exact));
    assertThat(set.match(get("/a?x=1", Map.of()), new ScenarioStates(), true)).isSameAs(exact);
    assertThat(set.match(get("/a?x=2", Map.of()), new ScenarioStates(), true)).isSameAs(fallback);
  }

  @Test
  void priorityDecidesBetweenExactPathsAndPatternsAsIfAllWereScanned() throws Exception {
    CompiledMock pattern = mock("pattern", 1, "{\"request\": {\"method\": \"GET\", \"urlPathPattern\": \"/items/9.*\"}, \"response\": {\"status\": 201}}");
    CompiledMock anyMethod = mock("any", 3, "{\"request\": {\"urlPath\": \"/items/5\"}, \"response\": {\"status\": 203}}");
    CompiledMock template = mock("template", 9, "{\"request\": {\"method\": \"GET\", \"urlPathTemplate\": \"/items/{id}\"}, \"response\": {\"status\": 209}}");
    List<CompiledMock> mocks = new java.util.ArrayList<>(List.of(pattern, anyMethod, template));
    for (int i = 0; i < 1000; i++) {
      mocks.add(mock(String.format("exact-%04d", i), 5, "{\"request\": {\"method\": \"GET\", \"urlPath\": \"/items/" + i + "\"}, \"response\": {\"status\": 200}}"));
    }
    MockSet set = new MockSet(mocks);
    ScenarioStates states = new ScenarioStates();
    // An exact path with a better priority than the template, a worse one than the pattern.
    assertThat(set.match(get("/items/42", Map.of()), states, true).id()).isEqualTo("exact-0042");
    assertThat(set.match(get("/items/942", Map.of()), states, true)).isSameAs(pattern);
    // A mock for any method joins the method's mocks in its place.
    assertThat(set.match(get("/items/5", Map.of()), states, true)).isSameAs(anyMethod);
    assertThat(set.match(MockRequest.of("DELETE", "/items/5", List.of(), new byte[0]), states, true)).isSameAs(anyMethod);
    // No exact path: the template answers; another method: nothing does.
    assertThat(set.match(get("/items/abc", Map.of()), states, true)).isSameAs(template);
    assertThat(set.match(MockRequest.of("DELETE", "/items/42", List.of(), new byte[0]), states, true)).isNull();
  }

  @Test
  void aScenarioAnswersInTurnTheLastRepeatsAndAResetStartsItAgain() throws Exception {
    CompiledMock first = mock("1", 5, "{\"request\": {\"urlPath\": \"/job\"}, \"response\": {\"body\": \"1\"}, \"scenarioName\": \"s\", \"requiredScenarioState\": \"Started\", \"newScenarioState\": \"2\"}");
    CompiledMock second = mock("2", 5, "{\"request\": {\"urlPath\": \"/job\"}, \"response\": {\"body\": \"2\"}, \"scenarioName\": \"s\", \"requiredScenarioState\": \"2\"}");
    MockSet set = new MockSet(List.of(second, first));
    ScenarioStates states = new ScenarioStates();
    MockRequest job = get("/job", Map.of());
    assertThat(List.of(set.match(job, states, true), set.match(job, states, true), set.match(job, states, true)))
        .containsExactly(first, second, second);
    states.resetOnNewEpoch(1);
    assertThat(set.match(job, states, true)).isSameAs(first);
  }

  @Test
  void aMissNamesTheClosestMockAndEachDifference() throws Exception {
    CompiledMock m =
        mock("m", 5, """
            {"request": {"method": "POST", "urlPath": "/pay", "headers": {"X-Tenant": {"equalTo": "a"}},
                         "bodyPatterns": [{"equalToJson": "{\\"amount\\": 5}"}]},
             "response": {"status": 201}}
            """);
    MockSet set = new MockSet(List.of(m, mock("far", 5, "{\"request\": {\"method\": \"DELETE\", \"urlPath\": \"/x\"}, \"response\": {}}")));
    MockRequest r = MockRequest.of("POST", "/pay", List.of(Map.entry("X-Tenant", "b")), "{\"amount\": 6}".getBytes());
    assertThat(set.match(r, new ScenarioStates(), true)).isNull();
    MockSet.Near near = set.closest(r, 3).get(0);
    assertThat(near.mock()).isSameAs(m);
    assertThat(near.mismatches()).extracting(Mismatch::field).containsExactly("header.X-Tenant", "body");
  }

  @Test
  void responseTemplatesReadTheRequestAsWireMockDoes() throws Exception {
    CompiledMock m =
        mock("t", 5, """
            {"request": {"urlPathTemplate": "/users/{id}"},
             "response": {"body": "{{request.path.[1]}} {{request.query.q}} {{request.headers.X-Trace}} {{jsonPath request.body '$.a.b'}} {{request.method}} {{randomValue length=4 type='NUMERIC'}}",
                          "transformers": ["response-template"]}}
            """);
    MockRequest r = MockRequest.of("PUT", "/users/42?q=x%20y", List.of(Map.entry("x-trace", "t1")), "{\"a\":{\"b\":7}}".getBytes());
    assertThat(new String(m.responseBody(r), StandardCharsets.UTF_8)).matches("42 x y t1 7 PUT \\d{4}");
    // Without the transformer, braces are sent as recorded.
    CompiledMock plain = mock("p", 5, "{\"request\": {}, \"response\": {\"body\": \"{{request.path}}\"}}");
    assertThat(new String(plain.responseBody(r), StandardCharsets.UTF_8)).isEqualTo("{{request.path}}");
  }

  @Test
  void whatCannotBeServedIsRefusedByField() {
    assertThatThrownBy(() -> mock("x", 5, "{\"request\": {\"urlPathPattern\": \"(a\"}, \"response\": {}}"))
        .isInstanceOf(InvalidMock.class)
        .extracting(e -> ((InvalidMock) e).field())
        .isEqualTo("request.urlPathPattern");
    assertThatThrownBy(() -> mock("x", 5, "{\"request\": {\"cookies\": {}}, \"response\": {}}"))
        .extracting(e -> ((InvalidMock) e).field())
        .isEqualTo("request.cookies");
    assertThatThrownBy(() -> mock("x", 5, "{\"request\": {}, \"response\": {\"body\": \"{{now offset='x'}}\", \"transformers\": [\"response-template\"]}}"))
        .extracting(e -> ((InvalidMock) e).field())
        .isEqualTo("response.body");
  }
}
