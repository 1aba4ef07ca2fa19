package dev.tapedeck.proxyservice.policy;

import com.google.re2j.Pattern;
import dev.tapedeck.policy.BodyReplacement;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.UrlRewrite;
import dev.tapedeck.policy.UserPatterns;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's modification rules, compiled once per settings update and applied in the order
 * given: header rules to a head, URL rewrites to the request's path and query, body replacements
 * to a decoded textual body. Each method says whether it changed anything, so the entry can be
 * flagged {@code modified}.
 *
 * <p>Regexes are RE2/J patterns ({@link UserPatterns}): matching takes time linear in the text.
 * URL rewrites run on the event loop within {@link #URI_BUDGET} per request; body replacements run
 * on a rewrite worker within the deadline it passes.
 */
public final class Modifier {
  /** Most time all URL rewrites of one request may take; past it the URI goes unchanged. */
  public static final Duration URI_BUDGET = Duration.ofMillis(50);

  private static final AtomicLong URI_BUDGET_SPENT = new AtomicLong();

  private record Rewrite(Pattern match, String replace) {}

  private record Replacement(Pattern regex, String plain, String replace, boolean request, boolean response) {
    String apply(String body, long deadlineNanos) {
      return regex != null
          ? regex.matcher(new TimeBoxedText(body, deadlineNanos)).replaceAll(replace)
          : body.replace(plain, replace);
    }
  }

  private final List<HeaderRule> requestHeaders;
  private final List<HeaderRule> responseHeaders;
  private final List<Rewrite> rewrites;
  private final List<Replacement> bodies;
  // Asked of every exchange: answered once, when the session's rules are compiled.
  private final boolean rewritesRequestBodies;
  private final boolean rewritesResponseBodies;

  Modifier(Modifications m) {
    requestHeaders = m.requestHeaders();
    responseHeaders = m.responseHeaders();
    rewrites = m.urlRewrites().stream().map(Modifier::compile).toList();
    bodies = m.bodyReplacements().stream().map(Modifier::compile).toList();
    rewritesRequestBodies = bodies.stream().anyMatch(Replacement::request);
    rewritesResponseBodies = bodies.stream().anyMatch(Replacement::response);
  }

  private static Rewrite compile(UrlRewrite r) {
    return new Rewrite(UserPatterns.regex(r.match()), r.replace());
  }

  private static Replacement compile(BodyReplacement b) {
    return new Replacement(
        b.regex() ? UserPatterns.regex(b.match()) : null, b.match(), b.replace(), b.onRequest(), b.onResponse());
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
    if (rewrites.isEmpty()) {
      return uri;
    }
    long deadline = System.nanoTime() + URI_BUDGET.toNanos();
    String result = uri;
    try {
      for (Rewrite r : rewrites) {
        result = r.match().matcher(new TimeBoxedText(result, deadline)).replaceAll(r.replace());
      }
    } catch (TimeBoxedText.Expired e) {
      URI_BUDGET_SPENT.incrementAndGet();
      Metrics.counter("tapedeck.proxy.rewrite.skipped", "reason", "uri-time").increment();
      return uri;
    }
    if (!result.startsWith("/") && !result.startsWith("*")) {
      result = "/" + result;
    }
    return result;
  }

  public boolean rewritesRequestBodies() {
    return rewritesRequestBodies;
  }

  public boolean rewritesResponseBodies() {
    return rewritesResponseBodies;
  }

  /** How many requests went upstream with their URI unchanged because the rewrites ran out of time. */
  public static long uriBudgetSpent() {
    return URI_BUDGET_SPENT.get();
  }

  /**
   * {@code body} after every replacement for requests (or responses), in order.
   *
   * @throws TimeBoxedText.Expired when the replacements are still running at {@code deadlineNanos}
   *     ({@link System#nanoTime()})
   */
  public String replaceBody(String body, boolean request, long deadlineNanos) {
    String result = body;
    for (Replacement r : bodies) {
      if (request ? r.request() : r.response()) {
        result = r.apply(result, deadlineNanos);
      }
    }
    return result;
  }
}
