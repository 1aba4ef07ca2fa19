package dev.tapedeck.internalauth;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.util.concurrent.Executor;

/** Call credentials that put {@code authorization: Bearer <token>} on every call they ride on. */
public final class InternalTokenCredentials extends CallCredentials {
  /** The header the token travels in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  public InternalTokenCredentials(String token) {
    this.header = InternalToken.BEARER + token;
  }

  @Override
  public void applyRequestMetadata(RequestInfo requestInfo, Executor appExecutor, MetadataApplier applier) {
    Metadata metadata = new Metadata();
    metadata.put(AUTHORIZATION, header);
    applier.apply(metadata);
  }
}
