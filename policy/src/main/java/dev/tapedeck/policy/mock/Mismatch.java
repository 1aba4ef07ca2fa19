package dev.tapedeck.policy.mock;

/**
 * Why a mock did not match a request, for the playback miss answer.
 *
 * @param field {@code method}, {@code path}, {@code query.<name>}, {@code header.<name>},
 *     {@code body} or {@code sequence}
 * @param expected what the mock asks for
 * @param actual what the request had
 */
public record Mismatch(String field, String expected, String actual) {}
