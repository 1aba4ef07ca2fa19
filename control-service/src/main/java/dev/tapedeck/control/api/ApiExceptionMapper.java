package dev.tapedeck.control.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tapedeck.policy.PolicyFieldException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Maps every failure to a status code and the {@link ErrorBody} shape, in one place: our own
 * {@link ApiException}s, unreadable JSON, JAX-RS errors (unknown path, wrong method), and gRPC
 * failures of the services behind the facade.
 */
public class ApiExceptionMapper {
  private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

  /** Seconds a 503 asks the client to wait before it tries again ({@code Retry-After}). */
  static final int RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  public Response api(ApiException e) {
    Response.ResponseBuilder response =
        Response.status(e.status())
            .type(MediaType.APPLICATION_JSON)
            .entity(new ErrorBody(e.code(), e.getMessage(), e.fields()));
    if (e.status() == 503) {
      response.header("Retry-After", RETRY_AFTER_SECONDS);
    }
    return response.build();
  }

  @ServerExceptionMapper
  public Response unknownField(UnrecognizedPropertyException e) {
    String field = e.getPropertyName();
    return api(
        ApiException.validation(
            List.of(new ErrorBody.FieldError(field, "unknown field; see docs/api.md for the fields"))));
  }

  @ServerExceptionMapper
  public Response wrongType(MismatchedInputException e) {
    String field = fieldOf(e);
    String expected = e.getTargetType() == null ? "another type" : e.getTargetType().getSimpleName();
    return api(
        ApiException.validation(
            List.of(new ErrorBody.FieldError(field, "has the wrong type; expected " + expected))));
  }

  /** A policy the model refused while it was read (e.g. flat toxics beside protocol keys). */
  @ServerExceptionMapper
  public Response unreadablePolicy(ValueInstantiationException e) {
    if (e.getCause() instanceof PolicyFieldException p) {
      String at = fieldOf(e);
      return api(
          ApiException.validation(
              List.of(new ErrorBody.FieldError(at.equals("body") ? p.field() : at + "." + p.field(), p.getMessage()))));
    }
    return json(e);
  }

  /** The JSON path of a binding failure ({@code toxics.http.delayMs}, {@code rules[2]}), or "body". */
  private static String fieldOf(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
        .orElse("body");
  }

  @ServerExceptionMapper
  public Response json(JsonProcessingException e) {
    return error(400, "invalid_json", "Request body is not valid JSON: " + e.getOriginalMessage());
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    // The JSON reader wraps Jackson's errors; answer them as if they had reached us directly.
    if (e.getCause() instanceof UnrecognizedPropertyException u) {
      return unknownField(u);
    }
    if (e.getCause() instanceof MismatchedInputException m) {
      return wrongType(m);
    }
    if (e.getCause() instanceof ValueInstantiationException v) {
      return unreadablePolicy(v);
    }
    if (e.getCause() instanceof JsonProcessingException j) {
      return json(j);
    }
    int status = e.getResponse().getStatus();
    String code =
        switch (status) {
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          case 406, 415 -> "unsupported_media_type";
          default -> status >= 500 ? "internal_error" : "bad_request";
        };
    return error(status, code, e.getMessage());
  }

  @ServerExceptionMapper
  public Response grpc(StatusRuntimeException e) {
    Status.Code code = e.getStatus().getCode();
    String detail = e.getStatus().getDescription();
    return switch (code) {
      case NOT_FOUND -> error(404, "not_found", detail);
      case INVALID_ARGUMENT -> error(400, "validation_error", detail);
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          error(503, "service_unavailable", "A backing service is unavailable: " + detail);
      default -> {
        LOG.warn("Backing service call failed", e);
        yield error(502, "backend_error", code + ": " + detail);
      }
    };
  }

  /**
   * Anything else: a 500 with an error id to quote, logged with the method and path only. The
   * framework's own handler would log the full URI, and with it an {@code ?api_key=}.
   */
  @ServerExceptionMapper
  public Response unexpected(RuntimeException e, HttpServerRequest request) {
    String id = UUID.randomUUID().toString();
    LOG.errorf(e, "%s %s failed, error id %s", request.method(), request.path(), id);
    return error(500, "internal_error", "The request failed; error id " + id);
  }

  public static Response error(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(code, message))
        .build();
  }
}
