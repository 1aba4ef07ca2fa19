package dev.tapedeck.control.users;

import java.time.Instant;

/**
 * A user of the API. Only the hash of the key is kept; {@code keyPrefix} tells keys apart.
 */
public record User(String id, String name, String keyHash, String keyPrefix, Instant createdAt) {}
