package dev.tapedeck.control.secrets;

import dev.tapedeck.control.api.ErrorBody.FieldError;
import dev.tapedeck.control.session.SessionConfig;
import dev.tapedeck.control.session.StartRequest;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.ProxyAuth;
import dev.tapedeck.policy.Transport;
import dev.tapedeck.policy.UpstreamProxy;
import dev.tapedeck.policy.UpstreamTls;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The secret values of a session config, in one place: {@code upstreamTls.clientKeyPem}, the
 * password of {@code upstreamProxy}, and the value of every header rule marked {@code "secret":
 * true}. The same walk encrypts them for MongoDB, decrypts them for the proxies, and replaces
 * them with {@link #PLACEHOLDER} for every API answer.
 */
public final class Secrets {
  /** What the API shows in place of a secret; sent back in a PUT, it keeps the stored value. */
  public static final String PLACEHOLDER = "(set)";

  private Secrets() {}

  /** {@code config} as the API shows it. */
  public static SessionConfig redact(SessionConfig config) {
    return map(config, v -> PLACEHOLDER);
  }

  /** {@code request} as the API shows it. */
  public static StartRequest redact(StartRequest request) {
    return map(request, v -> PLACEHOLDER);
  }

  /** {@code modifications} as the API shows them. */
  public static Modifications redact(Modifications modifications) {
    return map(modifications, v -> PLACEHOLDER);
  }

  /** {@code transport} as the API shows it. */
  public static Transport redact(Transport transport) {
    return map(transport, v -> PLACEHOLDER);
  }

  /** {@code config} with {@code op} applied to each secret value. */
  public static SessionConfig map(SessionConfig c, UnaryOperator<String> op) {
    return new SessionConfig(
        c.name(),
        c.mode(),
        c.targetUrl(),
        c.listenPort(),
        c.namespace(),
        c.record(),
        c.captureBodyLimitBytes(),
        c.policies().withModifications(map(c.policies().modifications(), op)),
        map(c.transport(), op),
        c.captureOverflow(),
        c.durability(),
        c.playback());
  }

  /** {@code r} with {@code op} applied to each secret value. */
  public static StartRequest map(StartRequest r, UnaryOperator<String> op) {
    if (r == null) {
      return null;
    }
    return new StartRequest(
        r.name(),
        r.mode(),
        r.targetUrl(),
        r.listenPort(),
        r.namespace(),
        r.record(),
        r.captureBodyLimitBytes(),
        r.filters(),
        r.toxics(),
        r.modifications() == null ? null : map(r.modifications(), op),
        r.networkProfile(),
        r.dnsMap(),
        r.mitm(),
        map(r.upstreamTls(), op),
        proxyUrl(r.upstreamProxy(), op),
        r.forwardedHeaders(),
        r.captureOverflow(),
        r.durability(),
        map(r.proxyAuth(), op),
        r.trafficMode(),
        r.mapLocal());
  }

  public static Transport map(Transport t, UnaryOperator<String> op) {
    return new Transport(
        t.mitm(), map(t.upstreamTls(), op), proxyUrl(t.upstreamProxy(), op), t.forwardedHeaders(), map(t.proxyAuth(), op));
  }

  /** The session port's credential with {@code op} applied to its password and header value. */
  private static ProxyAuth map(ProxyAuth auth, UnaryOperator<String> op) {
    if (auth == null) {
      return null;
    }
    return new ProxyAuth(
        auth.username(),
        auth.password() == null ? null : op.apply(auth.password()),
        auth.header(),
        auth.value() == null ? null : op.apply(auth.value()));
  }

  public static Modifications map(Modifications m, UnaryOperator<String> op) {
    return new Modifications(
        headers(m.requestHeaders(), op), headers(m.responseHeaders(), op), m.urlRewrites(), m.bodyReplacements());
  }

  private static UpstreamTls map(UpstreamTls tls, UnaryOperator<String> op) {
    if (tls == null || tls.clientKeyPem() == null) {
      return tls;
    }
    return new UpstreamTls(tls.insecureSkipVerify(), tls.caPem(), tls.clientCertPem(), op.apply(tls.clientKeyPem()));
  }

  private static List<HeaderRule> headers(List<HeaderRule> rules, UnaryOperator<String> op) {
    if (rules == null) {
      return null;
    }
    return rules.stream()
        .map(r -> r != null && r.marksSecret() && r.value() != null ? r.withValue(op.apply(r.value())) : r)
        .toList();
  }

  /** The proxy URL with {@code op} applied to its password; unchanged without one. */
  static String proxyUrl(String url, UnaryOperator<String> op) {
    if (url == null || url.isBlank()) {
      return url;
    }
    UpstreamProxy p;
    try {
      URI uri = URI.create(url.trim());
      if (uri.getRawUserInfo() == null || !uri.getRawUserInfo().contains(":")) {
        return url;
      }
      p = UpstreamProxy.parse(url.trim());
    } catch (IllegalArgumentException e) {
      return url; // not a URL: the validator says so, and it holds no password we could find
    }
    String password = op.apply(p.password());
    String encoded = PLACEHOLDER.equals(password) ? PLACEHOLDER : encode(password);
    return "http://" + encode(p.username()) + ":" + encoded + "@" + p.host() + ":" + p.port();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /**
   * The fields of a new config that hold {@link #PLACEHOLDER} in place of a secret: a config copied
   * from an answer or an export carries no secrets, so there is no stored value to keep.
   */
  public static List<FieldError> placeholders(StartRequest r) {
    List<FieldError> errors = new ArrayList<>();
    if (r == null) {
      return errors;
    }
    String message =
        "is \"" + PLACEHOLDER + "\", the placeholder the API shows for a stored secret; a new config"
            + " needs the value itself (answers and exports never carry it)";
    if (r.upstreamTls() != null && PLACEHOLDER.equals(r.upstreamTls().clientKeyPem())) {
      errors.add(new FieldError("upstreamTls.clientKeyPem", message));
    }
    boolean[] proxyPlaceholder = {false};
    proxyUrl(r.upstreamProxy(), v -> {
      proxyPlaceholder[0] = PLACEHOLDER.equals(v);
      return v;
    });
    if (proxyPlaceholder[0]) {
      errors.add(new FieldError("upstreamProxy", message));
    }
    if (r.proxyAuth() != null && PLACEHOLDER.equals(r.proxyAuth().password())) {
      errors.add(new FieldError("proxyAuth.password", message));
    }
    if (r.proxyAuth() != null && PLACEHOLDER.equals(r.proxyAuth().value())) {
      errors.add(new FieldError("proxyAuth.value", message));
    }
    if (r.modifications() != null) {
      placeholderHeaders(r.modifications().requestHeaders(), "modifications.requestHeaders", message, errors);
      placeholderHeaders(r.modifications().responseHeaders(), "modifications.responseHeaders", message, errors);
    }
    return errors;
  }

  private static void placeholderHeaders(List<HeaderRule> rules, String at, String message, List<FieldError> errors) {
    for (int i = 0; i < rules.size(); i++) {
      HeaderRule r = rules.get(i);
      if (r != null && r.marksSecret() && PLACEHOLDER.equals(r.value())) {
        errors.add(new FieldError(at + "[" + i + "].value", message));
      }
    }
  }

  /**
   * {@code incoming} rules with each secret {@link #PLACEHOLDER} value replaced by the stored value
   * of the secret rule with the same action and header name in the same list (the first not taken
   * yet); fields with no such stored rule are added to {@code errors}.
   */
  public static Modifications keepStored(Modifications incoming, Modifications stored, List<FieldError> errors) {
    return new Modifications(
        keep(incoming.requestHeaders(), stored.requestHeaders(), "modifications.requestHeaders", errors),
        keep(incoming.responseHeaders(), stored.responseHeaders(), "modifications.responseHeaders", errors),
        incoming.urlRewrites(),
        incoming.bodyReplacements());
  }

  private static List<HeaderRule> keep(
      List<HeaderRule> incoming, List<HeaderRule> stored, String at, List<FieldError> errors) {
    List<HeaderRule> unused = new ArrayList<>(stored.stream().filter(r -> r != null && r.marksSecret()).toList());
    List<HeaderRule> result = new ArrayList<>();
    for (int i = 0; i < incoming.size(); i++) {
      HeaderRule r = incoming.get(i);
      if (r == null || !r.marksSecret() || !PLACEHOLDER.equals(r.value())) {
        result.add(r);
        continue;
      }
      HeaderRule match =
          unused.stream()
              .filter(s -> same(s.action(), r.action()) && same(s.name(), r.name()))
              .findFirst()
              .orElse(null);
      if (match == null) {
        errors.add(
            new FieldError(
                at + "[" + i + "].value",
                "is \"" + PLACEHOLDER + "\" but the session holds no secret " + r.action() + " rule for "
                    + r.name() + " to keep; give the value itself"));
        result.add(r);
      } else {
        unused.remove(match);
        result.add(r.withValue(match.value()));
      }
    }
    return result;
  }

  private static boolean same(String a, String b) {
    return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
  }
}
