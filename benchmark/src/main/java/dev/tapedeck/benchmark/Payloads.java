package dev.tapedeck.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** What the upstream answers: bodies shaped like an API's JSON, so compression sees realistic data. */
final class Payloads {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

  private Payloads() {}

  /**
   * Exactly {@code size} bytes of a JSON array of small records with random names and numbers (the
   * same bytes every run), padded with spaces; LZ4 shrinks it to about a half, as it does typical
   * API responses, where zeros would shrink to nothing.
   */
  static byte[] json(int size) {
    Random random = new Random(size);
    StringBuilder json = new StringBuilder(size + 64).append('[');
    for (int id = 0; json.length() < size - 80; id++) {
      if (id > 0) {
        json.append(',');
      }
      json.append("{\"id\":").append(id).append(",\"name\":\"");
      for (int i = 0; i < 10; i++) {
        json.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
      }
      json.append("\",\"score\":").append(random.nextInt(1_000_000)).append(",\"active\":").append(random.nextBoolean()).append('}');
    }
    json.append(']');
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) ' ');
    byte[] text = json.toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, bytes, 0, Math.min(text.length, size));
    return bytes;
  }
}
