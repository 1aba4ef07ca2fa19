package dev.tapedeck.converter.export.script;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.converter.export.convert.Redactor;
import dev.tapedeck.correlation.Correlation;
import dev.tapedeck.correlation.CorrelationEngine;
import dev.tapedeck.correlation.CorrelationOptions;
import dev.tapedeck.correlation.Step;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The session's correlations as the script writers use them: an entry that is a correlation's
 * source extracts the value into a variable ({@code vars.token}, a Postman collection variable),
 * and the later requests that sent it carry {@code {{token}}} where the recorded value (or, for a
 * redacted header, the redaction marker) was; the scripts fill it in when they send.
 */
public final class CorrelatedValues {
  /** No correlations: every request as recorded. */
  public static final CorrelatedValues NONE = new CorrelatedValues(List.of());

  private final List<Correlation> all;
  private final Map<String, List<Correlation>> bySource = new HashMap<>();
  private final Map<String, List<Correlation>> byTarget = new HashMap<>();

  public CorrelatedValues(List<Correlation> correlations) {
    this.all = List.copyOf(correlations);
    for (Correlation c : all) {
      bySource.computeIfAbsent(c.source().entryId(), k -> new ArrayList<>()).add(c);
      c.targets().stream().map(Correlation.Target::entryId).distinct()
          .forEach(id -> byTarget.computeIfAbsent(id, k -> new ArrayList<>()).add(c));
    }
  }

  /** The correlations of {@code entries} (read as recorded, before redaction), in order. */
  public static CorrelatedValues of(Iterator<StoredEntry> entries) {
    CorrelationEngine engine = new CorrelationEngine(CorrelationOptions.DEFAULTS);
    while (entries.hasNext()) {
      StoredEntry entry = entries.next();
      Exchange.of(entry).ifPresent(e -> engine.observe(step(entry, e)));
    }
    return new CorrelatedValues(engine.correlations());
  }

  private static Step step(StoredEntry entry, Exchange e) {
    return new Step(
        e.entryId(),
        e.method(),
        entry.getExchange().getRequest().getUrl(),
        e.requestHeaders().stream().map(h -> new Step.Header(h.getName(), h.getValue())).toList(),
        text(e.requestBody()),
        e.status(),
        e.responseHeaders().stream().map(h -> new Step.Header(h.getName(), h.getValue())).toList(),
        text(e.responseBody()));
  }

  private static String text(Content c) {
    return c.isEmpty() || c.base64() ? null : c.text();
  }

  /** Whether there is any. */
  public boolean isEmpty() {
    return all.isEmpty();
  }

  /** The correlations whose value {@code entryId}'s response hands out. */
  public List<Correlation> extractedBy(String entryId) {
    return bySource.getOrDefault(entryId, List.of());
  }

  /** The placeholder the scripts fill: {@code {{token}}}. */
  public static String placeholder(Correlation c) {
    return "{{" + c.variable() + "}}";
  }

  /**
   * Puts placeholders into {@code request} (a script's request object, or a Postman request with
   * its {@code header} list): the recorded values {@code entryId} sent wherever they are, and the
   * redaction marker in a header (or cookie) a correlation names as its target.
   */
  public void template(ObjectNode request, String entryId) {
    List<Correlation> used = byTarget.getOrDefault(entryId, List.of());
    if (used.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = request.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals("headers") && field.getValue() instanceof ObjectNode headers) {
        headers.fields().forEachRemaining(h -> h.setValue(new TextNode(fill(h.getValue().asText(), used, entryId, h.getKey()))));
      } else if (field.getKey().equals("header") && field.getValue() instanceof ArrayNode headers) {
        for (JsonNode h : headers) {
          if (h instanceof ObjectNode o && o.hasNonNull("value")) {
            o.put("value", fill(o.get("value").asText(), used, entryId, o.path("key").asText()));
          }
        }
      } else if (field.getValue() instanceof TextNode text) {
        field.setValue(new TextNode(fill(text.asText(), used, entryId, null)));
      } else {
        replaceAll(field.getValue(), used, entryId);
      }
    }
  }

  private static void replaceAll(JsonNode node, List<Correlation> used, String entryId) {
    if (node instanceof ObjectNode object) {
      object.fields().forEachRemaining(f -> {
        if (f.getValue() instanceof TextNode text) {
          f.setValue(new TextNode(fill(text.asText(), used, entryId, null)));
        } else {
          replaceAll(f.getValue(), used, entryId);
        }
      });
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i) instanceof TextNode text) {
          array.set(i, new TextNode(fill(text.asText(), used, entryId, null)));
        } else {
          replaceAll(array.get(i), used, entryId);
        }
      }
    }
  }

  private static String fill(String text, List<Correlation> used, String entryId, String header) {
    String out = text;
    for (Correlation c : used) {
      out = out.replace(c.value(), placeholder(c));
      if (header != null && out.contains(Redactor.MARKER)) {
        boolean named = c.targets().stream().anyMatch(t -> t.entryId().equals(entryId)
            && (t.section().equals("header") && t.name().equalsIgnoreCase(header)
                || t.section().equals("cookie") && header.equalsIgnoreCase("cookie")));
        if (named) {
          out = out.replace(Redactor.MARKER, placeholder(c));
        }
      }
    }
    return out;
  }
}
