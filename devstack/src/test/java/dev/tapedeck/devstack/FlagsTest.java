package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagsTest {
  private static final Set<String> OPTIONS = Set.of("--kafka-port", "--data-dir");
  private static final Set<String> SWITCHES = Set.of("--no-auth");

  @Test
  void readsSpaceAndEqualsForms() {
    Flags flags =
        Flags.parse(
            new String[] {"--kafka-port", "19092", "--data-dir=/tmp/x", "--no-auth"},
            OPTIONS,
            SWITCHES);
    assertThat(flags.intValue("--kafka-port", 9092)).isEqualTo(19092);
    assertThat(flags.value("--data-dir")).contains("/tmp/x");
    assertThat(flags.has("--no-auth")).isTrue();
  }

  @Test
  void usesFallbackWhenAbsent() {
    Flags flags = Flags.parse(new String[0], OPTIONS, SWITCHES);
    assertThat(flags.intValue("--kafka-port", 9092)).isEqualTo(9092);
    assertThat(flags.has("--no-auth")).isFalse();
  }

  @Test
  void rejectsUnknownFlagsMissingValuesAndNonNumbers() {
    assertThatThrownBy(() -> Flags.parse(new String[] {"--nope"}, OPTIONS, SWITCHES))
        .hasMessageContaining("unknown argument: --nope");
    assertThatThrownBy(() -> Flags.parse(new String[] {"--kafka-port"}, OPTIONS, SWITCHES))
        .hasMessageContaining("needs a value");
    Flags flags = Flags.parse(new String[] {"--kafka-port", "x"}, OPTIONS, SWITCHES);
    assertThatThrownBy(() -> flags.intValue("--kafka-port", 1)).hasMessageContaining("number");
  }
}
