package dev.tapedeck.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {
  @Test
  void anOddCountGivesTheMiddleOneByTheMeasure() {
    assertThat(Median.of(List.of("ccc", "a", "bb"), String::length)).isEqualTo("bb");
  }

  @Test
  void anEvenCountGivesTheLowerMiddleOneARealRunNotABlend() {
    assertThat(Median.of(List.of("dddd", "a", "ccc", "bb"), String::length)).isEqualTo("bb");
    assertThat(Median.of(List.of("a"), String::length)).isEqualTo("a");
  }
}
