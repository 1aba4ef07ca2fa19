package dev.tapedeck.control.replay;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One way a replayed answer differs from the recorded one.
 *
 * @param kind {@code status}, {@code header} or {@code body}
 * @param path the JSON path in the body ({@code $.items[0].name}), the header name, or {@code status}
 * @param recorded the recorded value as JSON text ({@code "user3"}), null when it was absent
 * @param actual the new value as JSON text, null when absent
 * @param text one line: {@code $.name: "user3" -> "member3"}
 * @param reason for noise only: why it is not a mismatch ({@code header}, {@code jsonPath},
 *     {@code timestamp}, {@code uuid})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Difference(String kind, String path, String recorded, String actual, String text, String reason) {
  static Difference of(String kind, String path, String recorded, String actual) {
    return new Difference(
        kind, path, recorded, actual,
        path + ": " + (recorded == null ? "(absent)" : recorded) + " -> " + (actual == null ? "(absent)" : actual),
        null);
  }

  Difference asNoise(String why) {
    return new Difference(kind, path, recorded, actual, text, why);
  }
}
