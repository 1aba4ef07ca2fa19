package dev.tapedeck.storage.entry;

import java.time.Instant;
import java.util.List;

/**
 * A search across sessions. Every filter that is set must match.
 *
 * @param sessionIds the sessions searched (at least one)
 * @param text case-insensitive text in the URL, headers or textual bodies; empty matches all
 * @param methods any of these methods; empty matches all
 * @param statusMin lowest status, 0 for no bound
 * @param statusMax highest status, 0 for no bound
 * @param host exact host or a {@code *} glob, case-insensitive; empty matches all
 * @param entryTypes any of these entry type names; empty matches all
 * @param from started at or after, null for no bound
 * @param to started before, null for no bound
 * @param offset matches to skip, newest first
 * @param limit at most this many
 */
public record SearchQuery(
    List<String> sessionIds,
    String text,
    List<String> methods,
    int statusMin,
    int statusMax,
    String host,
    List<String> entryTypes,
    Instant from,
    Instant to,
    int offset,
    int limit) {

  public SearchQuery {
    sessionIds = List.copyOf(sessionIds);
    methods = List.copyOf(methods);
    entryTypes = List.copyOf(entryTypes);
    text = text == null ? "" : text;
    host = host == null ? "" : host;
  }
}
