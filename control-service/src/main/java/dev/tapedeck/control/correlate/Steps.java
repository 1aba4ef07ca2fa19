package dev.tapedeck.control.correlate;

import dev.tapedeck.control.entries.BodyView;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.control.entries.EntryView.HeaderView;
import dev.tapedeck.correlation.Step;
import java.util.List;
import java.util.Set;

/** Entries as the correlation engine reads them. */
public final class Steps {
  /** Entry types whose request is one HTTP request that can be sent again. */
  public static final Set<String> REPLAYABLE = Set.of("http", "soap");

  private Steps() {}

  /** The step of {@code entry}; bodies that are not text are left out. */
  public static Step of(EntryView entry) {
    EntryView.Request request = entry.request();
    EntryView.Response response = entry.response();
    return new Step(
        entry.id(),
        request == null ? "GET" : request.method(),
        request == null ? "" : request.url(),
        request == null ? List.of() : headers(request.headers()),
        request == null ? null : text(request.body()),
        response == null ? 0 : response.statusCode(),
        response == null ? List.of() : headers(response.headers()),
        response == null ? null : text(response.body()));
  }

  /** Headers as the engine's pairs. */
  public static List<Step.Header> headers(List<HeaderView> headers) {
    return headers == null ? List.of() : headers.stream().map(h -> new Step.Header(h.name(), h.value())).toList();
  }

  private static String text(BodyView body) {
    return body == null ? null : body.text();
  }
}
