package dev.tapedeck.control.session;

/**
 * The body of {@code POST /api/v1/recorder/start}: the session config, as the Mockarty recorder
 * names its fields. Unknown fields are refused (see {@code quarkus.jackson.fail-on-unknown-properties}),
 * so a client never believes a setting took effect when this version does not know it.
 *
 * @param name human-readable label; generated when empty
 * @param mode {@code reverse} (default) or {@code forward}
 * @param targetUrl upstream base URL; required in reverse mode
 * @param listenPort proxy port; 0 or absent to auto-assign from the port window
 * @param namespace mock namespace; {@code default} when absent
 * @param record false forwards without recording (passthrough); true by default
 * @param captureBodyLimitBytes bytes kept of each body; the configured limit by default
 */
public record StartRequest(
    String name,
    String mode,
    String targetUrl,
    Integer listenPort,
    String namespace,
    Boolean record,
    Long captureBodyLimitBytes) {}
