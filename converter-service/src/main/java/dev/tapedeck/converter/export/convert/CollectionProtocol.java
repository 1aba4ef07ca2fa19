package dev.tapedeck.converter.export.convert;

/** What {@code export-collection} makes of the requests, as the Mockarty reference names it. */
public enum CollectionProtocol {
  /** The requests, to send by hand. */
  HTTP,
  /** The requests with assertions on status and response shape. */
  TESTS,
  /** The requests as a load profile, with the recorded think times. */
  PERFORMANCE
}
