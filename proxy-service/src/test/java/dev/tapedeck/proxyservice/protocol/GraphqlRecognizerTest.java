package dev.tapedeck.proxyservice.protocol;

import static dev.tapedeck.proxyservice.protocol.TestExchanges.annotated;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.bytes;
import static dev.tapedeck.proxyservice.protocol.TestExchanges.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** GraphQL requests as clients send them, annotated with their operation's name and type. */
class GraphqlRecognizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URL = "https://api.example.com/graphql";

  /** A document as Apollo Client sends it: fragments, comments, defaults and directives. */
  private static final String SHELF =
      """
      # Shelf page. A "quoted" word and a { in a comment mean nothing.
      fragment TapeFields on Tape {
        id
        title # the title, "as printed"
        length
      }

      query Shelf($first: Int = 10, $filter: TapeFilter = {genre: "jazz { not a brace"}) @cached(ttl: 60) {
        shelf(first: $first, filter: $filter) { ...TapeFields }
      }

      mutation AddTape($input: TapeInput!) {
        addTape(input: $input) { ...TapeFields note(text: \"""mutation Fake { x }\""") }
      }
      """;

  private static String post(String query, String operationName) {
    ObjectNode body = JSON.createObjectNode().put("query", query);
    if (operationName != null) {
      body.put("operationName", operationName);
    }
    body.putObject("variables").put("first", 5);
    return body.toString();
  }

  @Test
  void namesTheOperationThatOperationNameChoosesAmongSeveral() {
    CapturedExchange x = annotated(request("POST", URL, "application/json", post(SHELF, "AddTape")));

    assertThat(x.getEntryType()).isEqualTo(EntryType.HTTP);
    assertThat(x.getGraphql().getOperationName()).isEqualTo("AddTape");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("mutation");
  }

  @Test
  void takesTheFirstOperationPastFragmentsWhenNoNameIsGiven() {
    CapturedExchange x = annotated(request("POST", URL, "application/json; charset=utf-8", post(SHELF, null)));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Shelf");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("query");
  }

  @Test
  void anAnonymousSelectionSetIsAQuery() {
    CapturedExchange x = annotated(request("POST", URL, "application/json", post("{ me { id name } }", null)));

    assertThat(x.hasGraphql()).isTrue();
    assertThat(x.getGraphql().getOperationName()).isEmpty();
    assertThat(x.getGraphql().getOperationType()).isEqualTo("query");
  }

  @Test
  void aBatchIsAnnotatedByItsFirstOperation() {
    String batch =
        "[" + post("query Cart { cart { total } }", "Cart") + "," + post("mutation Pay { pay { ok } }", "Pay") + "]";

    CapturedExchange x = annotated(request("POST", URL, "application/json", batch));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Cart");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("query");
  }

  @Test
  void readsGetRequestsFromTheQueryString() {
    String url =
        URL
            + "?query="
            + URLEncoder.encode("subscription OnTick($s: String) { tick(symbol: $s) { price } }", StandardCharsets.UTF_8)
            + "&variables=%7B%7D";

    CapturedExchange x = annotated(request("GET", url, "", ""));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("OnTick");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("subscription");
  }

  @Test
  void getWithOperationNamePicksThatOperation() {
    String url =
        URL
            + "?operationName=B&query="
            + URLEncoder.encode("query A { a } mutation B { b }", StandardCharsets.UTF_8);

    assertThat(annotated(request("GET", url, "", "")).getGraphql().getOperationType()).isEqualTo("mutation");
  }

  @Test
  void readsApplicationGraphqlBodies() {
    CapturedExchange x =
        annotated(request("POST", URL + "?operationName=Shelf", "application/graphql", SHELF));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Shelf");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("query");
  }

  @Test
  void decodesCompressedBodies() {
    byte[] gzipped = ContentCodings.encode(bytes(post("mutation Rate { rate(stars: 5) }", null)), "gzip");

    CapturedExchange x = annotated(request("POST", URL, "application/json", "gzip", gzipped, false));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Rate");
    assertThat(x.getGraphql().getOperationType()).isEqualTo("mutation");
  }

  @Test
  void aPersistedQueryGivesTheNameOnly() {
    String body =
        "{\"operationName\":\"Shelf\",\"variables\":{},\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"ab12\"}}}";

    CapturedExchange x = annotated(request("POST", URL, "application/json", body));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Shelf");
    assertThat(x.getGraphql().getOperationType()).isEmpty();
  }

  @Test
  void aBodyCutInItsVariablesIsStillAnnotated() {
    String body =
        "{\"query\":\"query Search($q: String) { search(q: $q) { id } }\",\"variables\":{\"q\":\"" + "x".repeat(500) + "\"}}";
    byte[] cut = Arrays.copyOf(bytes(body), 120);

    CapturedExchange x = annotated(request("POST", URL, "application/json", "", cut, true));

    assertThat(x.getGraphql().getOperationName()).isEqualTo("Search");
  }

  @Test
  void aCutBodyWithSeveralOperationsAndNoNameYetIsNotGuessed() {
    String body = "{\"query\":\"query A { a } query B { b }\",\"variables\":{\"q\":\"" + "x".repeat(500) + "\"},\"operationName\":\"B\"}";
    byte[] cut = Arrays.copyOf(bytes(body), 80);

    assertThat(annotated(request("POST", URL, "application/json", "", cut, true)).hasGraphql()).isFalse();
  }

  @Test
  void jsonThatIsNotGraphqlStaysPlainHttp() {
    for (String body :
        new String[] {
          "{\"query\":\"red shoes\",\"page\":2}",
          "{\"query\":{\"match\":{\"title\":\"tape\"}}}",
          "{\"sku\":\"tape-90\",\"qty\":3}",
          "[1,2,3]",
          "{\"query\":\"type Query { a: Int }\"}",
          "not json {",
        }) {
      CapturedExchange x = annotated(request("POST", URL, "application/json", body));
      assertThat(x.hasGraphql()).as(body).isFalse();
      assertThat(x.getEntryType()).as(body).isEqualTo(EntryType.HTTP);
    }
    assertThat(annotated(request("GET", "https://shop.example.com/search?query=red+shoes", "", "")).hasGraphql()).isFalse();
  }

  @Test
  void aCorruptCompressedBodyIsLeftAlone() {
    CapturedExchange x =
        annotated(request("POST", URL, "application/json", "gzip", bytes("definitely not gzip"), false));

    assertThat(x.hasGraphql()).isFalse();
  }
}
