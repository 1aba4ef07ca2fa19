package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A session's toxics: one set per protocol, a connection-level set, and a seed that makes every
 * random choice (jitter, which requests fail) repeatable.
 *
 * <p>Read from JSON, the Mockarty recorder's flat form, the fields of one {@link ProtocolToxics}
 * at the top level ({@code {"delayMs": 3000, "errorRate": 0.1}}), is the {@code http} set; it is
 * written back in the nested form only. Flat fields beside a protocol key are refused.
 *
 * @param seed seed of the random choices; absent: a fresh seed per listener
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Toxics(
    Long seed,
    ProtocolToxics http,
    ProtocolToxics websocket,
    ProtocolToxics sse,
    ProtocolToxics grpc,
    ConnectionToxics connection) {

  public static final Toxics NONE = new Toxics(null, null, null, null, null, null);

  /**
   * The JSON reader: the nested form, or the flat form read as {@code http}.
   *
   * @throws PolicyFieldException when flat fields come with {@code http}, {@code websocket},
   *     {@code sse} or {@code grpc}
   */
  @JsonCreator
  static Toxics fromJson(
      @JsonProperty("seed") Long seed,
      @JsonProperty("http") ProtocolToxics http,
      @JsonProperty("websocket") ProtocolToxics websocket,
      @JsonProperty("sse") ProtocolToxics sse,
      @JsonProperty("grpc") ProtocolToxics grpc,
      @JsonProperty("connection") ConnectionToxics connection,
      @JsonProperty("delayMs") Integer delayMs,
      @JsonProperty("delayJitter") Integer delayJitter,
      @JsonProperty("errorRate") Double errorRate,
      @JsonProperty("errorStatus") Integer errorStatus,
      @JsonProperty("bandwidthKBps") Integer bandwidthKBps,
      @JsonProperty("slowReadKBps") Integer slowReadKBps) {
    ProtocolToxics flat =
        new ProtocolToxics(delayMs, delayJitter, errorRate, errorStatus, bandwidthKBps, slowReadKBps);
    if (flat.equals(FLAT_NONE)) {
      return new Toxics(seed, http, websocket, sse, grpc, connection);
    }
    if (http != null || websocket != null || sse != null || grpc != null) {
      String given = delayMs != null ? "delayMs"
          : delayJitter != null ? "delayJitter"
          : errorRate != null ? "errorRate"
          : errorStatus != null ? "errorStatus"
          : bandwidthKBps != null ? "bandwidthKBps"
          : "slowReadKBps";
      throw new PolicyFieldException(
          given,
          "a flat toxic field (the http set, as Mockarty reads it) cannot be combined with the"
              + " protocol keys http, websocket, sse or grpc; put it under \"http\"");
    }
    return new Toxics(seed, flat, null, null, null, connection);
  }

  private static final ProtocolToxics FLAT_NONE = new ProtocolToxics(null, null, null, null, null, null);

  /** The set for {@code protocol} ({@code http}, {@code websocket}, {@code sse}, {@code grpc}). */
  public ProtocolToxics forProtocol(String protocol) {
    return switch (protocol) {
      case "websocket" -> websocket;
      case "sse" -> sse;
      case "grpc" -> grpc;
      default -> http;
    };
  }
}
