package dev.tapedeck.proxyservice.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proxyservice.protocol.GraphqlDocument.Operation;
import org.junit.jupiter.api.Test;

/** The tokenizer finds top-level operations and nothing inside strings, comments or arguments. */
class GraphqlDocumentTest {

  @Test
  void listsOperationsInOrderAndSkipsFragments() {
    assertThat(
            GraphqlDocument.operations(
                "fragment F on T { a } query A { ...F } , mutation B($x: [In!]! = [{a: 1}]) { b(x: $x) } subscription { c }",
                false))
        .containsExactly(
            new Operation("query", "A"), new Operation("mutation", "B"), new Operation("subscription", ""));
  }

  @Test
  void wordsInStringsCommentsAndDirectivesAreNotOperations() {
    String doc =
        """
        query Outer @live(if: true) {
          # query Hidden { x }
          a(s: "} query Hidden2 {", b: \"""
            mutation Hidden3 { \\\""" }
          \""")
        }
        """;

    assertThat(GraphqlDocument.operations(doc, false)).containsExactly(new Operation("query", "Outer"));
  }

  @Test
  void aNameAfterADirectiveIsNotTheOperationName() {
    assertThat(GraphqlDocument.operations("query @cached { a }", false))
        .containsExactly(new Operation("query", ""));
  }

  @Test
  void rejectsTextThatIsNotAnExecutableDocument() {
    assertThat(GraphqlDocument.operations("red shoes", false)).isNull();
    assertThat(GraphqlDocument.operations("type Query { a: Int }", false)).isNull();
    assertThat(GraphqlDocument.operations("SELECT * FROM tapes;", false)).isNull();
    assertThat(GraphqlDocument.operations("query A { a } }", false)).isNull();
    assertThat(GraphqlDocument.operations("query A { a(s: \"open", false)).isNull();
  }

  @Test
  void aCutDocumentKeepsTheOperationItStarted() {
    assertThat(GraphqlDocument.operations("query Long($a: Int, $b: Str", true))
        .containsExactly(new Operation("query", "Long"));
    assertThat(GraphqlDocument.operations("query A { a(s: \"open", true))
        .containsExactly(new Operation("query", "A"));
  }
}
