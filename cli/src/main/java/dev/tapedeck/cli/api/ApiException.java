package dev.tapedeck.cli.api;

/**
 * An error answer of the API ({@code {"error", "message"}}), or a failure to reach it. The CLI prints
 * {@link #getMessage()} and exits non-zero.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;

  /**
   * @param status the HTTP status, 0 when the API could not be reached
   * @param error the API's error code ({@code not_found}), or a code of the CLI's own
   * @param message the API's message, shown as it is
   */
  public ApiException(int status, String error, String message) {
    super(message, null, false, false);
    this.status = status;
    this.error = error;
  }

  /** The HTTP status, 0 when no answer came. */
  public int status() {
    return status;
  }

  /** The API's error code. */
  public String error() {
    return error;
  }
}
