package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The index keys' order, with its shortcuts for the common types, is MongoDB's order as
 * mongo-java-server's {@link ValueComparator} gives it, for every pair of values.
 */
class ValueOrderTest {

  @Test
  void everyPairComparesAsMongoJavaServerDoes() {
    List<Object> values =
        Arrays.asList(
            MinKey.getInstance(),
            null,
            Missing.getInstance(),
            -1.5,
            2.0,
            7L,
            Long.MAX_VALUE,
            3,
            "",
            "entry-1",
            "entry-2",
            Instant.ofEpochMilli(1),
            Instant.ofEpochMilli(2),
            MaxKey.getInstance());
    ValueComparator mongo = ValueComparator.ascWithoutListHandling();
    for (Object a : values) {
      for (Object b : values) {
        assertThat(Integer.signum(BsonTypes.compareValues(a, b)))
            .as("%s against %s", a, b)
            .isEqualTo(Integer.signum(mongo.compare(a, b)));
      }
    }
  }
}
