package dev.tapedeck.control.replay;

import java.util.List;

/**
 * What replay reports as noise rather than as a mismatch.
 *
 * @param headers response headers whose values are expected to vary (any case)
 * @param jsonPaths body paths whose values vary: {@code $.meta.requestId}, {@code $.items[*].at}
 *     (any index), {@code $..updatedAt} (that member anywhere)
 * @param valueShapes {@code timestamp} and/or {@code uuid}: a value of that shape that changed into
 *     another value of the same shape is noise
 */
public record NoiseSet(List<String> headers, List<String> jsonPaths, List<String> valueShapes) {
  public static final List<String> SHAPES = List.of("timestamp", "uuid");

  /** Headers known to vary between two answers to the same request. */
  public static final List<String> DEFAULT_HEADERS =
      List.of(
          "Date", "Expires", "Last-Modified", "Age", "ETag", "Set-Cookie", "X-Request-Id", "Request-Id",
          "X-Correlation-Id", "X-Amzn-RequestId", "X-Amzn-Trace-Id", "Traceparent", "Tracestate",
          "X-Trace-Id", "CF-Ray", "Server-Timing", "X-Runtime", "X-Response-Time");

  public NoiseSet {
    headers = headers == null ? List.of() : List.copyOf(headers);
    jsonPaths = jsonPaths == null ? List.of() : List.copyOf(jsonPaths);
    valueShapes = valueShapes == null ? List.of() : List.copyOf(valueShapes);
  }

  /** The set a session starts with: the default headers and both shapes. */
  public static NoiseSet defaults() {
    return new NoiseSet(DEFAULT_HEADERS, List.of(), SHAPES);
  }
}
