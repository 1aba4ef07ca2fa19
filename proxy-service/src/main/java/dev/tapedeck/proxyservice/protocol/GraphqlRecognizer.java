package dev.tapedeck.proxyservice.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.proto.capture.v1.GraphqlInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Recognises a GraphQL request, in the three forms of the GraphQL-over-HTTP spec and its common
 * practice:
 *
 * <ol>
 *   <li>POST with a JSON body {@code {"query", "operationName", "variables"}}, or a batch (an
 *       array of those, annotated by its first operation); an Apollo persisted query (no {@code
 *       query}, an {@code extensions.persistedQuery}) gives the name only;
 *   <li>GET with {@code ?query=} and optionally {@code &operationName=};
 *   <li>POST with an {@code application/graphql} body, the operation name in the URL.
 * </ol>
 *
 * The operation is the one {@code operationName} names, else the document's first; its type comes
 * from the document (an anonymous {@code { ... }} is a query).
 */
final class GraphqlRecognizer {
  private GraphqlRecognizer() {}

  /** The GraphQL operation of the request, or null when it is not a GraphQL request. */
  static GraphqlInfo recognize(String method, String url, Content request) {
    if (method.equals("GET")) {
      String query = queryParameter(url, "query");
      return query == null ? null : info(query, queryParameter(url, "operationName"), false, true);
    }
    if (!method.equals("POST") || !request.hasBody()) {
      return null;
    }
    if (request.contentType().essence().equals("application/graphql")) {
      byte[] bytes = request.bytes();
      return bytes == null
          ? null
          : info(
              new String(bytes, request.contentType().charset()),
              queryParameter(url, "operationName"),
              request.truncated(),
              true);
    }
    if (!request.jsonOrUntyped()) {
      return null;
    }
    JsonMessage message = request.json();
    if (message == null) {
      return null;
    }
    String query = message.string("query");
    String operationName = message.string("operationName");
    if (query == null) {
      JsonNode extensions = message.fields().get("extensions");
      boolean persisted = extensions != null && extensions.has("persistedQuery");
      return persisted && operationName != null && !operationName.isEmpty()
          ? GraphqlInfo.newBuilder().setOperationName(operationName).build()
          : null;
    }
    // A cut body may have lost an operationName that came after the query.
    return info(query, operationName, false, message.complete() || message.has("operationName"));
  }

  /**
   * The info of {@code document}'s chosen operation, or null when the document defines none.
   *
   * @param nameKnown false when the request's operationName may have been cut off; the first
   *     operation is then only taken when it is the only one
   */
  private static GraphqlInfo info(
      String document, String operationName, boolean truncated, boolean nameKnown) {
    List<GraphqlDocument.Operation> operations = GraphqlDocument.operations(document, truncated);
    if (operations == null || operations.isEmpty()) {
      return null;
    }
    if (operationName != null && !operationName.isEmpty()) {
      for (GraphqlDocument.Operation op : operations) {
        if (op.name().equals(operationName)) {
          return build(op.type(), op.name());
        }
      }
      // Named but not in the document (or past the part that was read): the type is unknown.
      return GraphqlInfo.newBuilder().setOperationName(operationName).build();
    }
    if (!nameKnown && operations.size() > 1) {
      return null;
    }
    GraphqlDocument.Operation first = operations.get(0);
    return build(first.type(), first.name());
  }

  private static GraphqlInfo build(String type, String name) {
    return GraphqlInfo.newBuilder().setOperationType(type).setOperationName(name).build();
  }

  /** The first value of query parameter {@code name}, decoded, or null. */
  static String queryParameter(String url, String name) {
    int q = url.indexOf('?');
    if (q < 0) {
      return null;
    }
    int hash = url.indexOf('#', q);
    String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(key).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
