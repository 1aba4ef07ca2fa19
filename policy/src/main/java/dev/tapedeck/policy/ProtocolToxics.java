package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The toxics of one protocol ({@code http}, {@code websocket}, {@code sse}, {@code grpc}), as the
 * Mockarty recorder names them. Absent numbers mean "off"; {@code errorStatus} defaults to 503.
 *
 * @param delayMs fixed latency added before each response
 * @param delayJitter uniform jitter in [-jitter, +jitter] ms added on top of delayMs
 * @param errorRate fraction (0-1) of requests answered with errorStatus instead of forwarded
 * @param errorStatus status of injected errors (default 503)
 * @param bandwidthKBps response throughput limit, KiB per second (0 = unlimited)
 * @param slowReadKBps request body read speed limit, KiB per second (0 = unlimited)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProtocolToxics(
    Integer delayMs,
    Integer delayJitter,
    Double errorRate,
    Integer errorStatus,
    Integer bandwidthKBps,
    Integer slowReadKBps) {

  public static final int DEFAULT_ERROR_STATUS = 503;

  public int delay() {
    return delayMs == null ? 0 : delayMs;
  }

  public int jitter() {
    return delayJitter == null ? 0 : delayJitter;
  }

  public double errors() {
    return errorRate == null ? 0 : errorRate;
  }

  public int status() {
    return errorStatus == null || errorStatus == 0 ? DEFAULT_ERROR_STATUS : errorStatus;
  }

  public int bandwidth() {
    return bandwidthKBps == null ? 0 : bandwidthKBps;
  }

  public int slowRead() {
    return slowReadKBps == null ? 0 : slowReadKBps;
  }
}
