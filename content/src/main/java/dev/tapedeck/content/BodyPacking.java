package dev.tapedeck.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/**
 * How a captured body's bytes travel from the proxy to storage and lie in the store: as captured,
 * or packed with snappy ({@link #SNAPPY}, the value of the capture's {@code Body.packing}). The
 * proxy packs bodies of at least {@link #MIN_BYTES} that shrink by a tenth or more; storage keeps
 * them packed and unpacks them on every read, so no reader of its API sees a packed body.
 *
 * <p>Why: under a 64 KiB recording load every step after the proxy (the broker's validation of a
 * batch, storage's copies into a document, the store's writes) costs by the byte, and a packed
 * body is as many fewer bytes at each. Kafka's own batch compression shrinks the bytes only between
 * producer and broker.
 */
public final class BodyPacking {
  /** {@code Body.packing} of a body packed with snappy (raw format, one block). */
  public static final String SNAPPY = "snappy";

  /** Smaller bodies are left to Kafka's batch compression, which sees them beside their headers. */
  public static final int MIN_BYTES = 4096;

  private BodyPacking() {}

  /** The room {@link #pack} needs in its output for {@code length} bytes. */
  public static int maxPackedLength(int length) {
    return Snappy.maxCompressedLength(length);
  }

  /**
   * Packs {@code data[offset, offset + length)} with snappy into {@code out} (at least {@link
   * #maxPackedLength} long), and returns the packed length; -1, with {@code out} to be ignored,
   * when the data is shorter than {@link #MIN_BYTES} or would not shrink by a tenth (already
   * compressed, or random). The caller keeps {@code out} for the next body: nothing is allocated.
   */
  public static int pack(byte[] data, int offset, int length, byte[] out) {
    if (length < MIN_BYTES) {
      return -1;
    }
    try {
      int packed = Snappy.compress(data, offset, length, out, 0);
      return packed <= length - length / 10 ? packed : -1;
    } catch (IOException e) {
      throw new UncheckedIOException("snappy could not pack a body", e);
    }
  }

  /**
   * The bytes {@code packed} holds ({@code packing} the value of {@code Body.packing}: empty for
   * bytes as captured, which come back as they are).
   *
   * @throws IllegalArgumentException for a packing this build does not know, or bytes that are
   *     not what it says
   */
  public static byte[] unpack(String packing, byte[] packed) {
    if (packing.isEmpty()) {
      return packed;
    }
    if (!packing.equals(SNAPPY)) {
      throw new IllegalArgumentException("unknown body packing '" + packing + "'");
    }
    try {
      return Snappy.uncompress(packed);
    } catch (IOException e) {
      throw new IllegalArgumentException("a body packed with snappy does not unpack: " + e.getMessage(), e);
    }
  }
}
