package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code text/event-stream} body into events as its chunks pass, the way the HTML
 * standard's event-stream parser does: lines end in CR, LF or CRLF; {@code data:} lines join with
 * LF; {@code event:} and {@code id:} name and number the event; a blank line dispatches it;
 * comments ({@code :}) and events without data are skipped. Bounded: a line longer than the
 * limit is cut.
 */
final class SseEvents {
  /** One dispatched event. */
  record Event(String name, String id, String data) {}

  private final int maxLine;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String name = "";
  private String id = "";
  private boolean lastWasCr;

  SseEvents(int maxLine) {
    this.maxLine = maxLine;
  }

  /** The events {@code chunk} completes. */
  List<Event> feed(Buffer chunk) {
    List<Event> events = new ArrayList<>();
    byte[] bytes = chunk.getBytes();
    for (byte b : bytes) {
      if (b == '\n' && lastWasCr) {
        lastWasCr = false;
        continue;
      }
      lastWasCr = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(events);
      } else if (line.size() < maxLine) {
        line.write(b);
      }
    }
    return events;
  }

  private void endLine(List<Event> events) {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (text.isEmpty()) {
      if (hasData) {
        events.add(new Event(name, id, data.toString()));
      }
      data.setLength(0);
      hasData = false;
      name = "";
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> name = value;
      case "id" -> id = value;
      default -> {
        // retry and unknown fields are not recorded
      }
    }
  }
}
