package dev.tapedeck.converter.export.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.Duplicates;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.PathTemplate;
import dev.tapedeck.converter.export.convert.RequestUrl;
import dev.tapedeck.converter.export.convert.Variance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns recorded exchanges into mocks, the same for every mock format:
 *
 * <ol>
 *   <li>group the exchanges by route: method and path, or method and path template with smart
 *       matching;
 *   <li>within a route, group identical requests (same path, query and body);
 *   <li>keep the first, the last or all responses of identical requests ({@link Duplicates}); all
 *       different responses make a sequence, served in the recorded order;
 *   <li>without smart matching, one exact mock per distinct request;
 *   <li>with smart matching, one loose mock per route (templated path; query parameters, headers
 *       and JSON fields that vary across samples matched loosely, constant ones exactly) when every
 *       distinct request got the same answer; otherwise an exact mock per distinct request, tried
 *       first, and the loose mock as the fallback for values never recorded.
 * </ol>
 */
public final class MockPlanner {

  private static final int EXACT_CONSTRAINED = 1;
  private static final int EXACT = 2;
  private static final int LOOSE_CONSTRAINED = 3;
  private static final int LOOSE = 4;
  private static final int FALLBACK = 5;

  private MockPlanner() {}

  /** The mocks for {@code exchanges}, in the order their routes were first recorded. */
  public static List<MockStub> plan(List<Exchange> exchanges, ConversionOptions options) {
    Map<String, Route> routes = new LinkedHashMap<>();
    for (Exchange exchange : exchanges) {
      PathTemplate template =
          options.smartMatch()
              ? PathTemplate.of(exchange.url().path())
              : PathTemplate.literal(exchange.url().path());
      routes
          .computeIfAbsent(
              exchange.method() + " " + template.template(),
              k -> new Route(exchange.method(), template))
          .add(exchange);
    }
    List<MockStub> stubs = new ArrayList<>();
    for (Route route : routes.values()) {
      stubs.addAll(route.stubs(options));
    }
    return stubs;
  }

  /** The exchanges of one route, grouped by distinct request. */
  private static final class Route {
    final String method;
    final PathTemplate template;
    final Map<String, List<Exchange>> requests = new LinkedHashMap<>();

    Route(String method, PathTemplate template) {
      this.method = method;
      this.template = template;
    }

    void add(Exchange exchange) {
      requests.computeIfAbsent(signature(exchange), k -> new ArrayList<>()).add(exchange);
    }

    List<MockStub> stubs(ConversionOptions options) {
      List<List<MockResponse>> answers =
          requests.values().stream().map(same -> responses(same, options.duplicates())).toList();
      List<MockStub> stubs = new ArrayList<>();
      if (!options.smartMatch()) {
        int i = 0;
        for (List<Exchange> same : requests.values()) {
          stubs.add(exact(same.get(0), answers.get(i++)));
        }
        return stubs;
      }
      List<Exchange> samples = requests.values().stream().map(same -> same.get(0)).toList();
      boolean uniform = answers.stream().allMatch(a -> sameAnswers(a, answers.get(0)));
      if (uniform) {
        stubs.add(loose(samples, answers.get(0), false));
        return stubs;
      }
      int i = 0;
      for (List<Exchange> same : requests.values()) {
        stubs.add(exact(same.get(0), answers.get(i++)));
      }
      List<MockResponse> fallback =
          options.duplicates() == Duplicates.LAST
              ? answers.get(answers.size() - 1)
              : answers.get(0);
      stubs.add(loose(samples, fallback.subList(0, 1), true));
      return stubs;
    }

    private MockStub exact(Exchange sample, List<MockResponse> responses) {
      Map<String, Optional<String>> query = Variance.query(List.of(sample));
      MockStub.BodyMatch body = exactBody(sample);
      boolean constrained = !query.isEmpty() || body.isPresent();
      return new MockStub(
          sample.method() + " " + sample.url().path() + queryText(sample.url()),
          method,
          sample.url().path(),
          false,
          query,
          Map.of(),
          body,
          responses,
          constrained ? EXACT_CONSTRAINED : EXACT);
    }

    private MockStub loose(List<Exchange> samples, List<MockResponse> responses, boolean fallback) {
      Map<String, Optional<String>> query = Variance.query(samples);
      Map<String, Optional<String>> headers = Variance.headers(samples);
      MockStub.BodyMatch body = looseBody(samples);
      boolean constrained = !query.isEmpty() || !headers.isEmpty() || body.isPresent();
      int priority = fallback ? FALLBACK : constrained ? LOOSE_CONSTRAINED : LOOSE;
      String path = template.isTemplated() ? template.template() : samples.get(0).url().path();
      return new MockStub(
          method + " " + template.template(),
          method,
          path,
          template.isTemplated(),
          query,
          headers,
          body,
          responses,
          priority);
    }

    private static MockStub.BodyMatch exactBody(Exchange sample) {
      if (sample.requestBody().isEmpty()) {
        return MockStub.BodyMatch.ANY;
      }
      Optional<JsonNode> json = sample.requestBody().json();
      if (json.isPresent()) {
        return new MockStub.BodyMatch(json, false, Optional.empty(), Optional.empty());
      }
      return sample.requestBody().base64()
          ? new MockStub.BodyMatch(
              Optional.empty(), false, Optional.empty(), Optional.of(sample.requestBody().text()))
          : new MockStub.BodyMatch(
              Optional.empty(), false, Optional.of(sample.requestBody().text()), Optional.empty());
    }

    private static MockStub.BodyMatch looseBody(List<Exchange> samples) {
      if (samples.size() == 1) {
        return exactBody(samples.get(0));
      }
      Optional<Variance.MergedJson> merged = Variance.jsonBody(samples);
      if (merged.isPresent()) {
        return new MockStub.BodyMatch(
            Optional.of(merged.get().json()),
            merged.get().loose(),
            Optional.empty(),
            Optional.empty());
      }
      String first = samples.get(0).requestBody().text();
      boolean same = samples.stream().allMatch(s -> s.requestBody().text().equals(first));
      return same ? exactBody(samples.get(0)) : MockStub.BodyMatch.ANY;
    }
  }

  private static List<MockResponse> responses(List<Exchange> same, Duplicates duplicates) {
    return switch (duplicates) {
      case FIRST -> List.of(MockResponse.of(same.get(0)));
      case LAST -> List.of(MockResponse.of(same.get(same.size() - 1)));
      case ALL -> {
        List<MockResponse> all = same.stream().map(MockResponse::of).toList();
        // The same answer every time is no sequence.
        yield all.stream().allMatch(r -> r.sameAs(all.get(0))) ? all.subList(0, 1) : all;
      }
    };
  }

  private static boolean sameAnswers(List<MockResponse> a, List<MockResponse> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).sameAs(b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String signature(Exchange exchange) {
    // JSON bodies compare as parsed, so whitespace does not split identical requests.
    String body =
        exchange.requestBody().json().map(Object::toString).orElse(exchange.requestBody().text());
    return exchange.url().path() + "?" + exchange.url().rawQuery() + "\n" + body;
  }

  private static String queryText(RequestUrl url) {
    return url.rawQuery().isEmpty() ? "" : "?" + url.rawQuery();
  }
}
