package dev.tapedeck.control.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one error shape of the API: a stable machine-readable code and a sentence for people; for
 * validation errors, every field at fault with its own message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, List<FieldError> fields) {
  public ErrorBody(String error, String message) {
    this(error, message, null);
  }

  /** One field's problem. */
  public record FieldError(String field, String message) {}
}
