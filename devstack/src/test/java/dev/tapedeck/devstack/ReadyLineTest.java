package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadyLineTest {
  @Test
  void formatsAndParsesTheSameLine() {
    ReadyLine line = new ReadyLine("127.0.0.1:9092", "mongodb://127.0.0.1:27017");
    assertThat(line.format())
        .isEqualTo("TAPEDECK-STACK-READY kafka=127.0.0.1:9092 mongo=mongodb://127.0.0.1:27017");
    assertThat(ReadyLine.parse(line.format())).contains(line);
  }

  @Test
  void ignoresOtherLines() {
    assertThat(ReadyLine.parse("starting Kafka")).isEmpty();
    assertThat(ReadyLine.parse(null)).isEmpty();
  }
}
