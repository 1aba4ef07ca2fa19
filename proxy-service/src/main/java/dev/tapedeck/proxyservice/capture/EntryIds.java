package dev.tapedeck.proxyservice.capture;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Entry ids are UUIDv7 (RFC 9562): a millisecond timestamp first, so ids sort by capture time,
 * then random bits, so proxy pods mint them without coordinating. Minting at the proxy is what
 * makes storage's writes idempotent when Kafka redelivers.
 */
public final class EntryIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private EntryIds() {}

  public static String next() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long randB = RANDOM.nextLong();
    long msb = (millis << 16) | (0x7L << 12) | randA;
    long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
