package dev.tapedeck.converter.export.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.Recordings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MockPlannerTest {

  // Through the pipeline, as the writers get them: redacted.
  private static final List<Exchange> SHOP = shop();

  private static List<Exchange> shop() {
    List<Exchange> exchanges = new ArrayList<>();
    new ConversionPipeline(ConversionOptions.defaults())
        .apply(Recordings.shop().iterator())
        .forEachRemaining(entry -> Exchange.of(entry).ifPresent(exchanges::add));
    return exchanges;
  }

  private static MockStub jobs(String duplicates) {
    return MockPlanner.plan(SHOP, Exports.options(o -> o.setDuplicates(duplicates))).stream()
        .filter(s -> s.path().startsWith("/jobs/"))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> bodies(MockStub stub) {
    return stub.responses().stream().map(r -> r.body().text()).toList();
  }

  @Test
  void keepsTheFirstTheLastOrEveryResponseOfRepeatedRequests() {
    assertThat(bodies(jobs("first"))).containsExactly("{\"state\":\"running\"}");
    assertThat(bodies(jobs("last"))).containsExactly("{\"state\":\"done\"}");
    assertThat(bodies(jobs("all")))
        .containsExactly(
            "{\"state\":\"running\"}", "{\"state\":\"running\"}", "{\"state\":\"done\"}");
  }

  @Test
  void withoutSmartMatchingEveryDistinctRequestIsOneExactMock() {
    List<MockStub> stubs = MockPlanner.plan(SHOP, Exports.options(o -> {}));
    assertThat(stubs).hasSize(9);
    assertThat(stubs).noneMatch(MockStub::templated);
  }

  @Test
  void smartMatchingLearnsWhatVariesAcrossSamples() {
    List<MockStub> stubs = MockPlanner.plan(SHOP, Exports.options(o -> o.setSmartMatch(true)));
    MockStub orders =
        stubs.stream()
            .filter(s -> s.path().equals("/orders") && s.priority() == 5)
            .findFirst()
            .orElseThrow();
    // sku and qty differ between the two orders: any value; the content type never changed.
    assertThat(orders.body().json().orElseThrow().toString())
        .isEqualTo("{\"sku\":\"${json-unit.ignore}\",\"qty\":\"${json-unit.ignore}\"}");
    assertThat(orders.headers()).containsEntry("content-type", Optional.of("application/json"));
    // The api_key was redacted before planning; a redacted value is never matched exactly.
    MockStub missing =
        stubs.stream().filter(s -> s.path().equals("/missing")).findFirst().orElseThrow();
    assertThat(missing.query()).containsEntry("api_key", Optional.empty());
    MockStub deleted =
        stubs.stream().filter(s -> s.method().equals("DELETE")).findFirst().orElseThrow();
    assertThat(deleted.path()).isEqualTo("/users/{id}");
    assertThat(deleted.templated()).isTrue();
  }
}
