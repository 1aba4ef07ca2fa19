package dev.tapedeck.policy.mock;

/** A mock definition that cannot be served; {@code field} is the JSON path at fault. */
public final class InvalidMock extends RuntimeException {
  private final String field;

  public InvalidMock(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
