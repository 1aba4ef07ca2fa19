package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTest {

  @Test
  void fieldsAreCountedFromAfterANameHoldingSpacesAndParentheses() {
    ProcStat stat =
        ProcStat.parse(
            "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 5 0 0 0 731 129 0 0 20 10 7 0 12345 0 0\n");
    assertThat(stat.name()).isEqualTo("a (b) c");
    assertThat(stat.cpuTicks()).isEqualTo(731 + 129);
    assertThat(stat.niceness()).isEqualTo(10);
  }

  @Test
  void aLineWithoutANameIsRefused() {
    assertThatThrownBy(() -> ProcStat.parse("4242 S 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a proc(5) stat line");
  }

  @Test
  void readsThisThreadsOwnLine() throws Exception {
    Path self = Path.of("/proc/thread-self/stat");
    assumeTrue(Files.isReadable(self), "Linux only");
    ProcStat stat = ProcStat.read(self);
    assertThat(stat.niceness()).isBetween(-20, 19);
    assertThat(stat.cpuTicks()).isNotNegative();
  }
}
