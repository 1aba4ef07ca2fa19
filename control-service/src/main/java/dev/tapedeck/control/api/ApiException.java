package dev.tapedeck.control.api;

import java.util.List;

/**
 * A failure the API reports to its caller as {@code {"error": code, "message": text}} with the
 * given HTTP status. Thrown anywhere below a resource; {@link ApiExceptionMapper} renders it.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final List<ErrorBody.FieldError> fields;

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public ApiException(int status, String code, String message, List<ErrorBody.FieldError> fields) {
    super(message);
    this.status = status;
    this.code = code;
    this.fields = fields;
  }

  public List<ErrorBody.FieldError> fields() {
    return fields;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static ApiException notFound(String what) {
    return new ApiException(404, "not_found", what + " not found");
  }

  /** A request that failed validation, with every field at fault. */
  public static ApiException validation(List<ErrorBody.FieldError> fields) {
    StringBuilder message = new StringBuilder("Invalid request: ");
    for (int i = 0; i < fields.size(); i++) {
      message.append(i == 0 ? "" : "; ").append(fields.get(i).field()).append(": ");
      message.append(fields.get(i).message());
    }
    return new ApiException(400, "validation_error", message.toString(), List.copyOf(fields));
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }
}
