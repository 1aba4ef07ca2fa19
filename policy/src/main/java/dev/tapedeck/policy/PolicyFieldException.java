package dev.tapedeck.policy;

/**
 * A policy that cannot even be read, thrown while JSON is bound to the model (a check that needs
 * the raw form, such as flat toxics beside protocol keys); the API answers it as a field error.
 */
public final class PolicyFieldException extends IllegalArgumentException {
  private final String field;

  /**
   * @param field the field at fault, relative to the object being read ({@code delayMs})
   */
  public PolicyFieldException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field at fault, relative to the object being read. */
  public String field() {
    return field;
  }
}
