package dev.tapedeck.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SecondaryIndexTest {

  @Test
  void narrowsQueriesThatPinTheFieldToValues() {
    assertThat(values(new Document("sessionId", "s1"))).containsExactly(key("s1"));
    assertThat(values(new Document("sessionId", new Document("$eq", "s1")))).containsExactly(key("s1"));
    assertThat(values(new Document("sessionId", new Document("$in", List.of("a", "b")))))
        .containsExactly(key("a"), key("b"));
    Document and =
        new Document(
            "$and",
            List.of(
                new Document("seq", new Document("$gt", 5)),
                new Document("sessionId", "s2"),
                new Document("url", Pattern.compile("x"))));
    assertThat(values(and)).containsExactly(key("s2"));
  }

  @Test
  void leavesOtherQueriesToTheScan() {
    assertThat(values(new Document("seq", 3))).isNull();
    assertThat(values(new Document("sessionId", null))).isNull();
    assertThat(values(new Document("sessionId", Pattern.compile("s")))).isNull();
    assertThat(values(new Document("sessionId", new Document("$ne", "s1")))).isNull();
    assertThat(values(new Document("sessionId", List.of("a", "b")))).isNull();
    assertThat(values(new Document("sessionId", new Document("$in", List.of("a", Pattern.compile("b"))))))
        .isNull();
    assertThat(values(new Document("$or", List.of(new Document("sessionId", "a"))))).isNull();
  }

  private static java.util.Set<KeyValue> values(Document query) {
    return SecondaryIndex.requiredValues(query, "sessionId");
  }

  private static KeyValue key(Object value) {
    return new KeyValue(value).normalized();
  }
}
