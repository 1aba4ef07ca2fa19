package dev.tapedeck.control.configs;

import dev.tapedeck.control.session.StartRequest;
import java.time.Instant;

/** A session config saved for reuse, owned by the user who saved it. */
public record SavedConfig(String id, String ownerId, StartRequest config, Instant createdAt) {}
