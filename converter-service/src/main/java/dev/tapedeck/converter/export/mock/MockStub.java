package dev.tapedeck.converter.export.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One mock, independent of the file format that writes it: what requests it answers and with which
 * responses, in order.
 *
 * @param name a readable name ({@code GET /users/{id}})
 * @param method the method matched
 * @param path the path matched: exact, or a template with {@code {name}} parameters
 * @param templated whether {@code path} is a template
 * @param query query parameters matched: a value (several values joined by NUL, all required in
 *     order) or empty for "present, any value"
 * @param headers request headers matched, the same way
 * @param body how the request body is matched
 * @param responses the responses, served in order, the last one repeating
 * @param priority 1 is tried first; exact mocks come before loose ones
 */
public record MockStub(
    String name,
    String method,
    String path,
    boolean templated,
    Map<String, Optional<String>> query,
    Map<String, Optional<String>> headers,
    BodyMatch body,
    List<MockResponse> responses,
    int priority) {

  /** Whether the responses form a sequence (a scenario). */
  public boolean isSequence() {
    return responses.size() > 1;
  }

  /**
   * How a mock matches the request body.
   *
   * @param json the JSON the body must equal; leaves equal to {@code Variance.ANY} match anything
   * @param ignoreExtraMembers whether members absent from {@code json} are allowed
   * @param text the text the body must equal, when it is not JSON
   * @param base64 the bytes the body must equal, in base64, when it is binary
   */
  public record BodyMatch(
      Optional<JsonNode> json,
      boolean ignoreExtraMembers,
      Optional<String> text,
      Optional<String> base64) {

    /** Any body. */
    public static final BodyMatch ANY =
        new BodyMatch(Optional.empty(), false, Optional.empty(), Optional.empty());

    /** Whether the body is matched at all. */
    public boolean isPresent() {
      return json.isPresent() || text.isPresent() || base64.isPresent();
    }
  }
}
