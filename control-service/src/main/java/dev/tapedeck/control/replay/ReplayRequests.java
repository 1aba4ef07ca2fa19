package dev.tapedeck.control.replay;

import dev.tapedeck.control.api.ErrorBody.FieldError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The request bodies of the replay routes and their validation, every field at fault reported. */
final class ReplayRequests {
  static final int DEFAULT_TIMEOUT_SECONDS = 10;
  static final int MAX_HEADERS = 100;
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  private ReplayRequests() {}

  /** {@code POST /{id}/replay}: field names as Mockarty's session replay. */
  public record SessionReplay(
      String targetUrl, Integer concurrency, Integer timeoutSeconds, Boolean followRedirects, List<String> entries) {}

  /** {@code POST /{id}/entries/{entryId}/replay}: what to change; what is absent is sent as recorded. */
  public record EntryReplay(
      String method, String url, Map<String, String> headers, String body, Integer timeoutSeconds, Boolean followRedirects) {}

  static ReplayJobs.Options check(SessionReplay r, ReplayLimits limits, ReplayEgress egress, List<FieldError> errors) {
    SessionReplay body = r == null ? new SessionReplay(null, null, null, null, null) : r;
    URI target = body.targetUrl() == null || body.targetUrl().isBlank() ? null : url("targetUrl", body.targetUrl(), egress, errors);
    int concurrency = body.concurrency() == null ? 1 : body.concurrency();
    if (concurrency < 1 || concurrency > limits.maxConcurrency()) {
      errors.add(new FieldError("concurrency", "must be between 1 and " + limits.maxConcurrency()));
    }
    int timeout = timeout(body.timeoutSeconds(), limits, errors);
    List<String> ids = body.entries() == null ? List.of() : body.entries();
    if (ids.size() > limits.maxEntries()) {
      errors.add(new FieldError("entries", "at most " + limits.maxEntries() + " entries per replay"));
    }
    if (ids.stream().anyMatch(id -> id == null || id.isBlank() || id.length() > 100)) {
      errors.add(new FieldError("entries", "each entry id is 1-100 characters"));
    }
    return new ReplayJobs.Options(target, concurrency, timeout, Boolean.TRUE.equals(body.followRedirects()), List.copyOf(ids));
  }

  static int timeout(Integer given, ReplayLimits limits, List<FieldError> errors) {
    int timeout = given == null ? Math.min(DEFAULT_TIMEOUT_SECONDS, limits.maxTimeoutSeconds()) : given;
    if (timeout < 1 || timeout > limits.maxTimeoutSeconds()) {
      errors.add(new FieldError("timeoutSeconds", "must be between 1 and " + limits.maxTimeoutSeconds()));
    }
    return timeout;
  }

  static void checkOverrides(EntryReplay r, ReplayEgress egress, List<FieldError> errors) {
    if (r.method() != null && (!METHOD.matcher(r.method()).matches() || r.method().equals("CONNECT"))) {
      errors.add(new FieldError("method", "must be an upper-case HTTP method such as GET or POST (not CONNECT)"));
    }
    if (r.url() != null) {
      url("url", r.url(), egress, errors);
    }
    if (r.headers() != null) {
      if (r.headers().size() > MAX_HEADERS) {
        errors.add(new FieldError("headers", "at most " + MAX_HEADERS + " headers"));
      }
      r.headers().forEach((name, value) -> {
        if (name == null || !TOKEN.matcher(name).matches()) {
          errors.add(new FieldError("headers", "\"" + name + "\" is not a header name"));
        } else if (value != null && (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0)) {
          errors.add(new FieldError("headers." + name, "must not contain line breaks"));
        }
      });
    }
  }

  /** An absolute http(s) URL without credentials that the egress policy does not refuse by its text. */
  static URI url(String field, String text, ReplayEgress egress, List<FieldError> errors) {
    URI url;
    try {
      url = new URI(text.trim());
    } catch (URISyntaxException e) {
      errors.add(new FieldError(field, "is not a URL: " + e.getMessage()));
      return null;
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      errors.add(new FieldError(field, "must be an absolute http:// or https:// URL with a host"));
      return null;
    }
    if (url.getRawUserInfo() != null) {
      errors.add(new FieldError(field, "must not carry credentials; send them as headers"));
      return null;
    }
    var refused = egress.checkLiteral(url);
    if (refused.isPresent()) {
      errors.add(new FieldError(field, refused.get()));
      return null;
    }
    return url;
  }
}
