package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits larger than H2's own 4 MiB buffers reuse one buffer instead of growing one each time. */
class ChunkBufferFileStoreTest {
  private static final int VALUE_BYTES = 64 * 1024;
  /** About 12 MiB a commit: three times H2's largest reused buffer. */
  private static final int VALUES_PER_COMMIT = 192;

  @TempDir Path dir;

  @Test
  void largeCommitsReuseOneBufferAndEveryValueReadsBackAfterAReopen() {
    Path file = dir.resolve("store.mv");
    int commits = 5;
    try (MVStore store = StoreFormat.open(file)) {
      store.setAutoCommitDelay(0); // each chunk is one explicit commit
      ChunkBufferFileStore files = (ChunkBufferFileStore) store.getFileStore();
      assertThat(files.getCacheSize()).as("page cache, MiB").isEqualTo(StoreFormat.CACHE_MIB);
      MVMap<Long, byte[]> map = store.openMap("values");
      long madeAfterSecond = 0;
      for (int c = 0; c < commits; c++) {
        for (int i = 0; i < VALUES_PER_COMMIT; i++) {
          long key = (long) c * VALUES_PER_COMMIT + i;
          map.put(key, value(key));
        }
        store.commit();
        if (c == 0) {
          // The first chunk grew its buffer; the next new one is made at that size.
          assertThat(files.nextBufferBytes()).isGreaterThan(VALUES_PER_COMMIT * VALUE_BYTES);
        }
        if (c == 1) {
          madeAfterSecond = files.buffersMade();
        }
      }
      assertThat(files.buffersMade())
          .as("buffers made over the last three commits of the same size")
          .isEqualTo(madeAfterSecond);
      assertThat(files.nextBufferBytes()).isLessThanOrEqualTo(ChunkBufferFileStore.KEPT_BYTES);
    }
    try (MVStore reopened = StoreFormat.open(file)) {
      MVMap<Long, byte[]> map = reopened.openMap("values");
      assertThat(map.size()).isEqualTo(commits * VALUES_PER_COMMIT);
      for (long key = 0; key < commits * VALUES_PER_COMMIT; key++) {
        assertThat(Arrays.equals(map.get(key), value(key))).as("value %d", key).isTrue();
      }
    }
  }

  /** A value that differs from every other in its first and last bytes. */
  private static byte[] value(long key) {
    byte[] value = new byte[VALUE_BYTES];
    Arrays.fill(value, (byte) key);
    for (int i = 0; i < 8; i++) {
      value[i] = (byte) (key >>> (8 * i));
      value[VALUE_BYTES - 1 - i] = (byte) (key >>> (8 * i));
    }
    return value;
  }
}
