package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Connection-level toxics, as Toxiproxy users know them ({@code reset_peer}, {@code limit_data},
 * {@code timeout}), applied to the client's connection whatever the protocol.
 *
 * @param resetRate fraction (0-1) of requests whose client connection is reset instead of answered
 * @param closeAfterBytes close the client connection after this many response body bytes (0 = off)
 * @param stallMs data stops and the connection closes after this many ms (0 = off)
 * @param stallRate fraction (0-1) of requests that stall when stallMs is set (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionToxics(
    Double resetRate, Long closeAfterBytes, Integer stallMs, Double stallRate) {

  public double reset() {
    return resetRate == null ? 0 : resetRate;
  }

  public long closeAfter() {
    return closeAfterBytes == null ? 0 : closeAfterBytes;
  }

  public int stall() {
    return stallMs == null ? 0 : stallMs;
  }

  public double stallProbability() {
    return stallRate == null ? 1 : stallRate;
  }
}
