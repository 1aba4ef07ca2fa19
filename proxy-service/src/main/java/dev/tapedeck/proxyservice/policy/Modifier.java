package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.policy.BodyReplacement;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.UrlRewrite;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session's modification rules, compiled once per settings update and applied in the order
 * given: header rules to a head, URL rewrites to the request's path and query, body replacements
 * to a decoded textual body. Each method says whether it changed anything, so the entry can be
 * flagged {@code modified}.
 */
public final class Modifier {
  private record Rewrite(Pattern match, String replace) {}

  private record Replacement(Pattern regex, String plain, String replace, boolean request, boolean response) {
    String apply(String body) {
      return regex != null ? regex.matcher(body).replaceAll(replace) : body.replace(plain, replace);
    }
  }

  private final List<HeaderRule> requestHeaders;
  private final List<HeaderRule> responseHeaders;
  private final List<Rewrite> rewrites;
  private final List<Replacement> bodies;

  Modifier(Modifications m) {
    requestHeaders = m.requestHeaders();
    responseHeaders = m.responseHeaders();
    rewrites = m.urlRewrites().stream().map(Modifier::compile).toList();
    bodies = m.bodyReplacements().stream().map(Modifier::compile).toList();
  }

  private static Rewrite compile(UrlRewrite r) {
    return new Rewrite(Pattern.compile(r.match()), r.replace());
  }

  private static Replacement compile(BodyReplacement b) {
    return new Replacement(
        b.regex() ? Pattern.compile(b.match()) : null, b.match(), b.replace(), b.onRequest(), b.onResponse());
  }

  /** Applies the request header rules to {@code headers}; true if any changed them. */
  public boolean applyRequestHeaders(MultiMap headers) {
    return apply(requestHeaders, headers);
  }

  /** Applies the response header rules to {@code headers}; true if any changed them. */
  public boolean applyResponseHeaders(MultiMap headers) {
    return apply(responseHeaders, headers);
  }

  private static boolean apply(List<HeaderRule> rules, MultiMap headers) {
    boolean changed = false;
    for (HeaderRule rule : rules) {
      switch (rule.action().toLowerCase(Locale.ROOT)) {
        case "add" -> {
          headers.add(rule.name(), rule.value());
          changed = true;
        }
        case "replace" -> {
          List<String> old = headers.getAll(rule.name());
          if (!old.isEmpty() && !old.equals(List.of(rule.value()))) {
            headers.set(rule.name(), rule.value());
            changed = true;
          }
        }
        case "remove" -> {
          if (headers.contains(rule.name())) {
            headers.remove(rule.name());
            changed = true;
          }
        }
        default -> {
          // The control plane refuses any other action.
        }
      }
    }
    return changed;
  }

  /**
   * The request's path and query after every URL rewrite, each applied to the result of the one
   * before ({@code $1} and {@code ${name}} insert capture groups).
   */
  public String rewriteUri(String uri) {
    String result = uri;
    for (Rewrite r : rewrites) {
      Matcher m = r.match().matcher(result);
      if (m.find()) {
        result = m.replaceAll(r.replace());
      }
    }
    if (!result.startsWith("/") && !result.startsWith("*")) {
      result = "/" + result;
    }
    return result;
  }

  public boolean rewritesRequestBodies() {
    return bodies.stream().anyMatch(Replacement::request);
  }

  public boolean rewritesResponseBodies() {
    return bodies.stream().anyMatch(Replacement::response);
  }

  /** {@code body} after every replacement for requests (or responses), in order. */
  public String replaceBody(String body, boolean request) {
    String result = body;
    for (Replacement r : bodies) {
      if (request ? r.request() : r.response()) {
        result = r.apply(result);
      }
    }
    return result;
  }
}
