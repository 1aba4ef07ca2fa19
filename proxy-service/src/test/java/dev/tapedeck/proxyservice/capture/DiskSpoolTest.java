package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpoolTest {
  @TempDir Path dir;

  @Test
  void keepsRecordsInOrderUntilRemoved() {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        assertThat(spool.append("s" + (i % 2), ("v" + i).getBytes(StandardCharsets.UTF_8))).isTrue();
      }
      assertThat(values(spool.peek(3))).containsExactly("v0", "v1", "v2");
      assertThat(spool.peek(3).get(1).key()).isEqualTo("s1");
      spool.remove(2);
      assertThat(values(spool.peek(10))).containsExactly("v2", "v3", "v4");
      spool.remove(3);
      assertThat(spool.isEmpty()).isTrue();
      assertThat(spool.bytes()).isZero();
    }
    assertThat(segmentFiles()).as("an empty spool leaves no segment").isEmpty();
  }

  @Test
  void refusesWhatWouldPassTheByteBound() {
    try (DiskSpool spool = new DiskSpool(dir, 100)) {
      assertThat(spool.append("k", new byte[60])).isTrue();
      assertThat(spool.append("k", new byte[60])).isFalse();
      assertThat(spool.count()).isEqualTo(1);
      assertThat(spool.bytes()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void aNewRunFindsWhatTheLastOneLeft() throws Exception {
    try (DiskSpool spool = new DiskSpool(dir, 1 << 20)) {
      spool.append("a", "one".getBytes(StandardCharsets.UTF_8));
      spool.append("b", "two".getBytes(StandardCharsets.UTF_8));
      spool.append("c", "three".getBytes(StandardCharsets.UTF_8));
      spool.remove(1);
    }
    // A record cut short by a crash is dropped; everything before it is kept.
    Path segment = segmentFiles().get(0);
    Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2}, java.nio.file.StandardOpenOption.APPEND);
    try (DiskSpool reopened = new DiskSpool(dir, 1 << 20)) {
      assertThat(values(reopened.peek(10))).containsExactly("two", "three");
      reopened.append("d", "four".getBytes(StandardCharsets.UTF_8));
      assertThat(values(reopened.peek(10))).containsExactly("two", "three", "four");
      reopened.remove(3);
      assertThat(reopened.isEmpty()).isTrue();
    }
    assertThat(segmentFiles()).isEmpty();
  }

  @Test
  void rollsSegmentsAndDeletesThemAsTheyEmpty() {
    byte[] big = new byte[(int) (DiskSpool.SEGMENT_BYTES / 3)];
    try (DiskSpool spool = new DiskSpool(dir, 1L << 30)) {
      for (int i = 0; i < 7; i++) {
        spool.append("k", big);
      }
      assertThat(segmentFiles()).hasSizeGreaterThanOrEqualTo(3);
      spool.remove(3);
      assertThat(segmentFiles()).hasSizeLessThan(4);
      assertThat(spool.count()).isEqualTo(4);
    }
  }

  private List<Path> segmentFiles() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> values(List<DiskSpool.Spooled> records) {
    return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
  }
}
