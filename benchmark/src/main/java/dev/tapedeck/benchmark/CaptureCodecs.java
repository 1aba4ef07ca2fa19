package dev.tapedeck.benchmark;

import com.github.luben.zstd.Zstd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.xerial.snappy.Snappy;

/**
 * What each Kafka codec costs the proxy and saves the pipeline, on a 256 KiB batch of the
 * benchmark's JSON bodies ({@link Payloads#json}) of 1 KiB and 64 KiB: the compressed share and the
 * megabytes compressed per CPU second (this thread's CPU time, so other load on the machine does
 * not move it). lz4 is measured the way Kafka's producer runs it (lz4-java's pure-Java "safe"
 * compressor, 64 KiB blocks) and, for comparison, through JNI. Run with
 * {@code java -cp "benchmark/target/tapedeck-benchmark.jar:benchmark/target/lib/*"
 * dev.tapedeck.benchmark.CaptureCodecs}; docs/development.md quotes it.
 */
public final class CaptureCodecs {
  private static final int BATCH_BYTES = 256 * 1024;
  private static final long MEASURE_NANOS = 2_000_000_000L;

  private CaptureCodecs() {}

  public static void main(String[] args) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.println("| body | codec | compressed share | MB compressed per CPU second |");
    System.out.println("|---|---|---|---|");
    for (int size : List.of(1024, 65536)) {
      byte[] batch = new byte[BATCH_BYTES];
      for (int i = 0; i < BATCH_BYTES / size; i++) {
        System.arraycopy(Payloads.json(size + i), 0, batch, i * size, size);
      }
      for (String codec : List.of("lz4 (Kafka: pure Java)", "lz4 (JNI)", "snappy", "zstd level 1", "zstd level 3")) {
        for (int warm = 0; warm < 300; warm++) {
          compress(codec, batch);
        }
        long compressed = 0;
        int runs = 0;
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        while (System.nanoTime() - start < MEASURE_NANOS) {
          compressed = compress(codec, batch);
          runs++;
        }
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "| %d KiB | %s | %.2f | %.0f |%n",
            size / 1024,
            codec,
            (double) compressed / batch.length,
            runs * (double) batch.length / cpuSeconds / 1e6);
      }
    }
  }

  private static long compress(String codec, byte[] batch) throws Exception {
    return switch (codec) {
      case "lz4 (Kafka: pure Java)" -> lz4(LZ4Factory.safeInstance().fastCompressor(), batch);
      case "lz4 (JNI)" -> lz4(LZ4Factory.fastestInstance().fastCompressor(), batch);
      case "snappy" -> Snappy.compress(batch).length;
      case "zstd level 1" -> Zstd.compress(batch, 1).length;
      default -> Zstd.compress(batch, 3).length;
    };
  }

  private static long lz4(LZ4Compressor compressor, byte[] batch) {
    byte[] out = new byte[compressor.maxCompressedLength(65536)];
    long total = 0;
    for (int offset = 0; offset < batch.length; offset += 65536) {
      total += compressor.compress(batch, offset, Math.min(65536, batch.length - offset), out, 0);
    }
    return total;
  }
}
