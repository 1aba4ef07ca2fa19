package dev.tapedeck.control.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys: 192 random bits with a {@code tdk_} prefix, stored only as their SHA-256. A fast hash
 * is right here: the keys are random, not passwords, so there is nothing to guess from the hash.
 */
public final class ApiKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    return "tdk_" + HexFormat.of().formatHex(random);
  }

  public static String hash(String key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The first characters of a key, enough to tell keys apart in a listing. */
  public static String prefix(String key) {
    return key.substring(0, Math.min(12, key.length()));
  }
}
