package dev.tapedeck.control.search;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.policy.Glob;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.storage.v1.SearchEntriesRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query parameters of {@code GET /api/v1/recorder/search}, checked all at once (every bad one
 * is listed in the 400) and turned into storage's search request.
 */
final class SearchFilters {
  static final int MAX_LIMIT = 500;
  private static final Pattern STATUS = Pattern.compile("([1-5])xx|([1-5]\\d\\d)(?:-([1-5]\\d\\d))?");
  private static final Pattern METHOD = Pattern.compile("[A-Za-z]{1,20}");

  private SearchFilters() {}

  /** The parameters as given; null or blank means "not set". */
  record Params(
      String q,
      String method,
      String status,
      String host,
      String type,
      String from,
      String to,
      int offset,
      int limit) {}

  /**
   * Storage's request for {@code params} over {@code sessionIds}.
   *
   * @throws ApiException 400 {@code validation_error} listing every bad parameter
   */
  static SearchEntriesRequest toRequest(Params params, List<String> sessionIds) {
    List<FieldError> errors = new ArrayList<>();
    SearchEntriesRequest.Builder request =
        SearchEntriesRequest.newBuilder()
            .addAllSessionIds(sessionIds)
            .setQ(trim(params.q()))
            .setHost(trim(params.host()))
            .setOffset(params.offset())
            .setLimit(params.limit());
    if (params.q() != null && params.q().length() > 200) {
      errors.add(new FieldError("q", "must be at most 200 characters"));
    }
    if (params.host() != null && !params.host().isBlank()) {
      // The glob reaches MongoDB's backtracking $regex: RE2-checked, short, at most two stars.
      try {
        Glob.boundedHostRegex(params.host().trim());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("host", "is not a usable host glob: " + e.getMessage()));
      }
    }
    for (String method : list(params.method())) {
      if (METHOD.matcher(method).matches()) {
        request.addMethods(method.toUpperCase(Locale.ROOT));
      } else {
        errors.add(new FieldError("method", "\"" + method + "\" is not an HTTP method"));
      }
    }
    status(params.status(), request, errors);
    for (String type : list(params.type())) {
      String name = type.toUpperCase(Locale.ROOT);
      if (isEntryType(name)) {
        request.addEntryTypes(name);
      } else {
        errors.add(
            new FieldError("type", "\"" + type + "\" is not one of http, websocket, sse, grpc, soap, mcp, tunnel"));
      }
    }
    Instant from = instant("from", params.from(), errors);
    Instant to = instant("to", params.to(), errors);
    if (from != null) {
      request.setFromUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, from));
    }
    if (to != null) {
      request.setToUnixMicros(ChronoUnit.MICROS.between(Instant.EPOCH, to));
    }
    if (from != null && to != null && !from.isBefore(to)) {
      errors.add(new FieldError("to", "must be after from"));
    }
    if (params.offset() < 0) {
      errors.add(new FieldError("offset", "must be 0 or more"));
    }
    if (params.limit() < 1 || params.limit() > MAX_LIMIT) {
      errors.add(new FieldError("limit", "must be between 1 and " + MAX_LIMIT));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    return request.build();
  }

  /** {@code 404}, a class {@code 4xx}, or a range {@code 500-503}. */
  private static void status(
      String status, SearchEntriesRequest.Builder request, List<FieldError> errors) {
    if (status == null || status.isBlank()) {
      return;
    }
    Matcher m = STATUS.matcher(status.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      errors.add(new FieldError("status", "must be a code (404), a class (4xx) or a range (500-503)"));
    } else if (m.group(1) != null) {
      int hundreds = Integer.parseInt(m.group(1)) * 100;
      request.setStatusMin(hundreds).setStatusMax(hundreds + 99);
    } else {
      int low = Integer.parseInt(m.group(2));
      int high = m.group(3) == null ? low : Integer.parseInt(m.group(3));
      if (high < low) {
        errors.add(new FieldError("status", "range must go from low to high"));
      }
      request.setStatusMin(low).setStatusMax(high);
    }
  }

  private static Instant instant(String field, String value, List<FieldError> errors) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "must be an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z"));
      return null;
    }
  }

  private static boolean isEntryType(String name) {
    return Arrays.stream(EntryType.values())
        .anyMatch(t -> t != EntryType.ENTRY_TYPE_UNSPECIFIED && t != EntryType.UNRECOGNIZED && t.name().equals(name));
  }

  /** Comma-separated values, blanks dropped. */
  private static List<String> list(String value) {
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }
}
