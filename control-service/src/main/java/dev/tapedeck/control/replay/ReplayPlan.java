package dev.tapedeck.control.replay;

import dev.tapedeck.control.correlate.Steps;
import dev.tapedeck.control.entries.BodyView;
import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.correlation.Step.Header;
import dev.tapedeck.correlation.Substitution;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What replaying one recorded entry sends: its method, its URL (moved onto the target when one is
 * given), its headers and body as recorded, with correlated values replaced by the ones the new
 * run handed out; or why it cannot be replayed (skipped).
 */
final class ReplayPlan {
  private ReplayPlan() {}

  /** Why {@code entry} is not replayed, or empty when it can be. */
  static Optional<String> skipReason(EntryView entry) {
    if (!Steps.REPLAYABLE.contains(entry.entryType())) {
      return Optional.of(entry.entryType() + " entries are not replayed (one HTTP request and answer only)");
    }
    if (entry.request() == null) {
      return Optional.of("no request was recorded");
    }
    if (Boolean.TRUE.equals(entry.refused())) {
      return Optional.of("the recorded request was refused by the proxy");
    }
    if (entry.response() == null) {
      return Optional.of("no response was recorded to compare with");
    }
    BodyView body = entry.request().body();
    if (body != null && body.truncated()) {
      return Optional.of("the recorded request body was truncated at capture");
    }
    return Optional.empty();
  }

  /** The request to send for {@code entry}. */
  static ReplaySender.Outgoing of(EntryView entry, URI target, Substitution values) {
    EntryView.Request r = entry.request();
    URI url = URI.create(values.apply(r.url()));
    if (target != null) {
      url = onto(target, url);
    }
    List<Header> headers =
        Steps.headers(r.headers()).stream().map(h -> new Header(h.name(), values.apply(h.value()))).toList();
    return new ReplaySender.Outgoing(r.method(), url, headers, body(r.body(), values));
  }

  /** {@code recorded}'s path and query under {@code target}'s origin and path. */
  static URI onto(URI target, URI recorded) {
    String base = target.toString().replaceAll("/+$", "");
    String path = recorded.getRawPath() == null || recorded.getRawPath().isEmpty() ? "/" : recorded.getRawPath();
    return URI.create(base + path + (recorded.getRawQuery() == null ? "" : "?" + recorded.getRawQuery()));
  }

  private static byte[] body(BodyView body, Substitution values) {
    if (body == null) {
      return null;
    }
    if (body.rawBase64() != null) {
      return Base64.getDecoder().decode(body.rawBase64());
    }
    if (body.text() != null) {
      return values.apply(body.text()).getBytes(StandardCharsets.UTF_8);
    }
    return body.base64() == null ? null : Base64.getDecoder().decode(body.base64());
  }

  /** The recorded response body as text to compare with, or null when it cannot be compared. */
  static String recordedBody(EntryView entry, Substitution values) {
    BodyView body = entry.response().body();
    if (body == null) {
      return "";
    }
    if (body.truncated() || body.text() == null) {
      return null;
    }
    return values.apply(body.text());
  }
}
