package dev.tapedeck.converter.export.convert;

/** What a mock keeps of repeated identical requests, as {@code mockd convert --duplicates}. */
public enum Duplicates {
  /** The first response recorded. */
  FIRST,
  /** The last response recorded. */
  LAST,
  /** Every response, served in the recorded order (a WireMock scenario, a mockd sequence). */
  ALL
}
