package dev.tapedeck.control.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.correlation.Step.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a replayed answer with the recorded one: the status, every recorded response header
 * (other than those about the transfer), and the body (JSON member by member, else as text). Each
 * difference is a mismatch or, when the {@link Noise} rules say so, noise.
 */
final class ResponseComparison {
  private static final ObjectMapper JSON = new ObjectMapper();
  // About the transfer, not the answer; a changed body shows in the body.
  private static final Set<String> NOT_COMPARED =
      Set.of("content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding", "vary");

  /** The mismatches and the noise, each list capped at {@link ReplayLimits#MAX_DIFFERENCES}. */
  record Result(List<Difference> differences, List<Difference> noise, int differenceCount) {}

  private final Noise noise;
  private final List<Difference> differences = new ArrayList<>();
  private final List<Difference> ignored = new ArrayList<>();
  private int count;

  private ResponseComparison(Noise noise) {
    this.noise = noise;
  }

  /**
   * @param recordedBody the recorded body as text (correlated values already replaced by the new
   *     ones), or null when it was not text or was truncated (then the body is not compared)
   */
  static Result compare(
      int recordedStatus, List<Header> recordedHeaders, String recordedBody, ReplaySender.Answer answer, Noise noise) {
    ResponseComparison c = new ResponseComparison(noise);
    if (recordedStatus != answer.status()) {
      c.add(Difference.of("status", "status", Integer.toString(recordedStatus), Integer.toString(answer.status())), Optional.empty());
    }
    c.headers(recordedHeaders, answer.headers());
    if (recordedBody != null && !answer.truncated()) {
      c.body(recordedBody, new String(answer.body(), StandardCharsets.UTF_8));
    }
    return new Result(List.copyOf(c.differences), List.copyOf(c.ignored), c.count);
  }

  private void headers(List<Header> recorded, List<Header> actual) {
    Set<String> names = new LinkedHashSet<>();
    recorded.forEach(h -> names.add(h.name().toLowerCase(Locale.ROOT)));
    for (String name : names) {
      if (NOT_COMPARED.contains(name) || name.startsWith(":")) {
        continue;
      }
      String was = join(recorded, name);
      String now = join(actual, name);
      if (!was.equals(now)) {
        String shown = recorded.stream().filter(h -> h.name().equalsIgnoreCase(name)).findFirst().map(Header::name).orElse(name);
        Difference d = Difference.of("header", shown, quote(was), now.isEmpty() ? null : quote(now));
        add(d, noise.header(name, was, now));
      }
    }
  }

  private static String join(List<Header> headers, String lower) {
    return String.join(", ", headers.stream().filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower)).map(Header::value).toList());
  }

  private void body(String recorded, String actual) {
    Optional<JsonNode> was = json(recorded);
    Optional<JsonNode> now = json(actual);
    if (was.isPresent() && now.isPresent()) {
      JsonDiff.diff(
          was.get(),
          now.get(),
          (path, sides) ->
              add(
                  Difference.of("body", path, text(sides[0]), text(sides[1])),
                  noise.body(path, sides[0], sides[1])));
    } else if (!recorded.equals(actual)) {
      add(
          Difference.of("body", "$", quote(abbreviate(recorded)), quote(abbreviate(actual))),
          Optional.empty());
    }
  }

  private void add(Difference d, Optional<String> why) {
    if (why.isPresent()) {
      if (ignored.size() < ReplayLimits.MAX_DIFFERENCES) {
        ignored.add(d.asNoise(why.get()));
      }
      return;
    }
    count++;
    if (differences.size() < ReplayLimits.MAX_DIFFERENCES) {
      differences.add(d);
    }
  }

  private static Optional<JsonNode> json(String text) {
    String t = text.strip();
    if (!t.startsWith("{") && !t.startsWith("[")) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readTree(t));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode node) {
    if (node == null) {
      return null;
    }
    return abbreviate(node.toString());
  }

  private static String quote(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
