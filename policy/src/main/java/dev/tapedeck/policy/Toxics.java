package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A session's toxics: one set per protocol, a connection-level set, and a seed that makes every
 * random choice (jitter, which requests fail) repeatable.
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
