package dev.tapedeck.proxyservice.policy;

import java.util.List;

/**
 * What the toxics do to one exchange, decided when its request arrives.
 *
 * @param delayMs wait before the response head goes to the client
 * @param errorStatus answer this status instead of forwarding (0: forward)
 * @param bandwidthKBps response pace, KiB/s (0: unlimited)
 * @param slowReadKBps request body pace, KiB/s (0: unlimited)
 * @param reset close the client connection without an answer
 * @param closeAfterBytes close the client connection after this many response body bytes (0: off)
 * @param stallMs send nothing and close the connection after this long (0: off)
 * @param names the toxics that touch the exchange, as the entry lists them
 */
public record ToxicPlan(
    long delayMs,
    int errorStatus,
    int bandwidthKBps,
    int slowReadKBps,
    boolean reset,
    long closeAfterBytes,
    long stallMs,
    List<String> names) {

  public static final ToxicPlan NONE = new ToxicPlan(0, 0, 0, 0, false, 0, 0, List.of());
}
