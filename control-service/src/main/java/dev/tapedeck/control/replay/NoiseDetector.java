package dev.tapedeck.control.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.correlate.Steps;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.correlation.Step;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Learns noise from the recording itself: when the same request (method, URL and body) was
 * recorded more than once, the body paths and headers whose values differ between its answers are
 * noise. Fed entries in order; remembers the first answer of at most {@value #MAX_REQUESTS}
 * requests, bodies of at most {@value #MAX_BODY_CHARS} characters.
 */
final class NoiseDetector {
  static final int MAX_REQUESTS = 200;
  static final int MAX_BODY_CHARS = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record First(JsonNode body, List<Step.Header> headers) {}

  private final Map<String, First> firsts = new HashMap<>();
  private final Set<String> paths = new LinkedHashSet<>();
  private final Set<String> headers = new LinkedHashSet<>();

  void observe(EntryView entry) {
    if (!Steps.REPLAYABLE.contains(entry.entryType()) || entry.request() == null || entry.response() == null) {
      return;
    }
    Step step = Steps.of(entry);
    String key = step.method() + " " + step.url() + " " + (step.requestBody() == null ? "" : step.requestBody().hashCode());
    JsonNode body = json(step.responseBody());
    First first = firsts.get(key);
    if (first == null) {
      if (firsts.size() < MAX_REQUESTS) {
        firsts.put(key, new First(body, step.responseHeaders()));
      }
      return;
    }
    if (first.body() != null && body != null) {
      JsonDiff.diff(first.body(), body, (path, sides) -> paths.add(Noise.anyIndex(path)));
    }
    for (Step.Header h : first.headers()) {
      String now = h.value();
      boolean same = step.responseHeaders().stream().anyMatch(x -> x.name().equalsIgnoreCase(h.name()) && x.value().equals(now));
      if (!same && !h.name().equalsIgnoreCase("content-length")) {
        headers.add(h.name());
      }
    }
  }

  /** The set learned, added to {@code base}. */
  NoiseSet learned(NoiseSet base) {
    Set<String> h = new LinkedHashSet<>(base.headers());
    headers.stream().filter(n -> h.stream().noneMatch(x -> x.equalsIgnoreCase(n))).forEach(h::add);
    Set<String> p = new LinkedHashSet<>(base.jsonPaths());
    p.addAll(paths);
    return new NoiseSet(List.copyOf(h), List.copyOf(p), base.valueShapes());
  }

  private static JsonNode json(String text) {
    if (text == null || text.length() > MAX_BODY_CHARS) {
      return null;
    }
    String t = text.strip();
    if (!t.startsWith("{") && !t.startsWith("[")) {
      return null;
    }
    try {
      return JSON.readTree(t);
    } catch (Exception e) {
      return null;
    }
  }
}
