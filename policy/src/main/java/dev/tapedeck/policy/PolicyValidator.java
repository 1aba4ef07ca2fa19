package dev.tapedeck.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks policies and reports every field at fault, each under its JSON path ({@code
 * toxics.http.errorRate}, {@code modifications.urlRewrites[0].match}), so a client sees all its
 * mistakes at once. Used by the control plane before a session starts or its rules change; the
 * proxy then applies only rules that passed here.
 */
public final class PolicyValidator {
  /** Most entries in one list (patterns of a filter dimension, rules of a kind). */
  public static final int MAX_LIST = 100;

  /** Longest replacement text of a URL rewrite or body replacement, in characters. */
  public static final int MAX_REPLACEMENT = 10_000;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Pattern HOST =
      Pattern.compile("(?i)[a-z0-9_]([a-z0-9_-]{0,62})?(\\.[a-z0-9_]([a-z0-9_-]{0,62})?)*\\.?");
  private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F:.]+|\\[[0-9a-fA-F:.]+\\]");
  private static final Pattern GROUP_REF = Pattern.compile("\\$(\\d+)|\\$\\{([A-Za-z][A-Za-z0-9]*)\\}");
  private static final Set<String> PROTOCOLS = Set.of("http", "websocket", "sse", "grpc");

  private final List<Problem> problems = new ArrayList<>();

  /** The problems found so far. */
  public List<Problem> problems() {
    return List.copyOf(problems);
  }

  private void add(String field, String message) {
    problems.add(new Problem(field, message));
  }

  public PolicyValidator filters(Filters f, String at) {
    if (f == null) {
      return this;
    }
    globs(f.includeHosts(), at + ".includeHosts");
    globs(f.excludeHosts(), at + ".excludeHosts");
    globs(f.includePaths(), at + ".includePaths");
    globs(f.excludePaths(), at + ".excludePaths");
    size(f.includeMethods(), at + ".includeMethods");
    for (int i = 0; i < f.includeMethods().size(); i++) {
      String m = f.includeMethods().get(i);
      if (m == null || !TOKEN.matcher(m).matches()) {
        add(at + ".includeMethods[" + i + "]", "is not an HTTP method name");
      }
    }
    size(f.excludeStatus(), at + ".excludeStatus");
    for (int i = 0; i < f.excludeStatus().size(); i++) {
      status(f.excludeStatus().get(i), at + ".excludeStatus[" + i + "]");
    }
    return this;
  }

  private void globs(List<String> patterns, String at) {
    size(patterns, at);
    for (int i = 0; i < patterns.size(); i++) {
      try {
        Glob.compile(patterns.get(i), true);
      } catch (IllegalArgumentException e) {
        add(at + "[" + i + "]", "is not a valid glob: " + e.getMessage());
      }
    }
  }

  public PolicyValidator toxics(Toxics t, String at) {
    if (t == null) {
      return this;
    }
    protocol(t.http(), at + ".http");
    protocol(t.websocket(), at + ".websocket");
    if (t.websocket() != null && t.websocket().errorStatus() != null) {
      // A frame failed by errorRate closes the WebSocket; there is no status to answer with.
      add(
          at + ".websocket.errorStatus",
          "does not apply to WebSockets: a frame failed by errorRate closes the WebSocket with status 1011");
    }
    protocol(t.sse(), at + ".sse");
    protocol(t.grpc(), at + ".grpc");
    ConnectionToxics c = t.connection();
    if (c != null) {
      rate(c.resetRate(), at + ".connection.resetRate");
      rate(c.stallRate(), at + ".connection.stallRate");
      if (c.closeAfterBytes() != null && c.closeAfterBytes() < 0) {
        add(at + ".connection.closeAfterBytes", "must be 0 (off) or a positive number of bytes");
      }
      range(c.stallMs(), 0, 600_000, at + ".connection.stallMs");
    }
    return this;
  }

  private void protocol(ProtocolToxics p, String at) {
    if (p == null) {
      return;
    }
    range(p.delayMs(), 0, 600_000, at + ".delayMs");
    range(p.delayJitter(), 0, 600_000, at + ".delayJitter");
    rate(p.errorRate(), at + ".errorRate");
    if (p.errorStatus() != null) {
      status(p.errorStatus(), at + ".errorStatus");
    }
    range(p.bandwidthKBps(), 0, Integer.MAX_VALUE, at + ".bandwidthKBps");
    range(p.slowReadKBps(), 0, Integer.MAX_VALUE, at + ".slowReadKBps");
  }

  public PolicyValidator modifications(Modifications m, String at) {
    if (m == null) {
      return this;
    }
    headerRules(m.requestHeaders(), at + ".requestHeaders");
    headerRules(m.responseHeaders(), at + ".responseHeaders");
    size(m.urlRewrites(), at + ".urlRewrites");
    for (int i = 0; i < m.urlRewrites().size(); i++) {
      UrlRewrite r = m.urlRewrites().get(i);
      String ra = at + ".urlRewrites[" + i + "]";
      if (r == null) {
        add(ra, "must be an object");
        continue;
      }
      com.google.re2j.Pattern p = regex(r.match(), ra + ".match");
      if (r.replace() == null) {
        add(ra + ".replace", "is required");
      } else if (r.replace().length() > MAX_REPLACEMENT) {
        add(ra + ".replace", "may have at most " + MAX_REPLACEMENT + " characters");
      } else if (p != null) {
        groupRefs(p, r.replace(), ra + ".replace");
      }
    }
    size(m.bodyReplacements(), at + ".bodyReplacements");
    for (int i = 0; i < m.bodyReplacements().size(); i++) {
      BodyReplacement b = m.bodyReplacements().get(i);
      String ba = at + ".bodyReplacements[" + i + "]";
      if (b == null) {
        add(ba, "must be an object");
        continue;
      }
      if (b.match() == null || b.match().isEmpty()) {
        add(ba + ".match", "is required");
      } else if (!b.regex() && b.match().length() > UserPatterns.MAX_CHARS) {
        add(ba + ".match", "may have at most " + UserPatterns.MAX_CHARS + " characters");
      } else if (b.regex()) {
        com.google.re2j.Pattern p = regex(b.match(), ba + ".match");
        if (p != null && b.replace() != null && b.replace().length() <= MAX_REPLACEMENT) {
          groupRefs(p, b.replace(), ba + ".replace");
        }
      }
      if (b.replace() == null) {
        add(ba + ".replace", "is required (use \"\" to delete the match)");
      } else if (b.replace().length() > MAX_REPLACEMENT) {
        add(ba + ".replace", "may have at most " + MAX_REPLACEMENT + " characters");
      }
      if (b.target() != null && !Set.of("request", "response", "both").contains(b.target())) {
        add(ba + ".target", "must be \"request\", \"response\" or \"both\"");
      }
    }
    return this;
  }

  private void headerRules(List<HeaderRule> rules, String at) {
    size(rules, at);
    for (int i = 0; i < rules.size(); i++) {
      HeaderRule r = rules.get(i);
      String ra = at + "[" + i + "]";
      if (r == null) {
        add(ra, "must be an object");
        continue;
      }
      String action = r.action() == null ? "" : r.action().toLowerCase(Locale.ROOT);
      if (!Set.of("add", "replace", "remove").contains(action)) {
        add(ra + ".action", "must be \"add\", \"replace\" or \"remove\"");
      }
      if (r.name() == null || !TOKEN.matcher(r.name()).matches()) {
        add(ra + ".name", "must be a header name (letters, digits and !#$%&'*+.^_`|~-)");
      }
      if ((action.equals("add") || action.equals("replace")) && r.value() == null) {
        add(ra + ".value", "is required for " + action);
      } else if (r.value() != null && (r.value().contains("\r") || r.value().contains("\n"))) {
        add(ra + ".value", "must not contain line breaks");
      }
    }
  }

  /** The user's regex compiled with RE2/J, or null with the problem added (docs/security.md). */
  private com.google.re2j.Pattern regex(String regex, String at) {
    if (regex == null || regex.isEmpty()) {
      add(at, "is required");
      return null;
    }
    try {
      return UserPatterns.regex(regex);
    } catch (IllegalArgumentException e) {
      add(at, e.getMessage());
      return null;
    }
  }

  /** Every $n in the replacement names a group the regex has. */
  private void groupRefs(com.google.re2j.Pattern p, String replacement, String at) {
    int groups = p.groupCount();
    Matcher m = GROUP_REF.matcher(replacement);
    while (m.find()) {
      if (m.group(1) != null && Integer.parseInt(m.group(1)) > groups) {
        add(at, "refers to group $" + m.group(1) + " but the regex has " + groups + " group(s)");
        return;
      }
      if (m.group(2) != null && !p.namedGroups().containsKey(m.group(2))) {
        add(at, "refers to group ${" + m.group(2) + "} which the regex does not name");
        return;
      }
    }
  }

  public PolicyValidator dnsMap(Map<String, String> map, String at) {
    if (map == null) {
      return this;
    }
    if (map.size() > MAX_LIST) {
      add(at, "may map at most " + MAX_LIST + " hosts");
    }
    map.forEach(
        (host, address) -> {
          String ha = at + "." + host;
          if (host == null || !HOST.matcher(host).matches()) {
            add(ha, "key is not a host name");
          }
          if (address == null
              || !(ADDRESS.matcher(address).matches() || HOST.matcher(address).matches())) {
            add(ha, "must be an IP address or a host name");
          }
        });
    return this;
  }

  public PolicyValidator networkProfile(NetworkProfile p, String at) {
    if (p == null) {
      return this;
    }
    range(p.latencyMs(), 0, 600_000, at + ".latencyMs");
    range(p.jitterMs(), 0, 600_000, at + ".jitterMs");
    range(p.downloadKBps(), 0, Integer.MAX_VALUE, at + ".downloadKBps");
    range(p.uploadKBps(), 0, Integer.MAX_VALUE, at + ".uploadKBps");
    rate(p.loss(), at + ".loss");
    return this;
  }

  public PolicyValidator chaos(ChaosSettings c, String at) {
    if (c == null) {
      return this;
    }
    if (c.latency() != null) {
      long min = duration(c.latency().min(), at + ".latency.min");
      long max = duration(c.latency().max(), at + ".latency.max");
      if (min >= 0 && max >= 0 && max < min) {
        add(at + ".latency.max", "must not be less than min");
      }
      rate(c.latency().probability(), at + ".latency.probability");
    }
    if (c.errorRate() != null) {
      rate(c.errorRate().probability(), at + ".errorRate.probability");
      List<Integer> codes = c.errorRate().statusCodes() == null ? List.of() : c.errorRate().statusCodes();
      for (int i = 0; i < codes.size(); i++) {
        status(codes.get(i), at + ".errorRate.statusCodes[" + i + "]");
      }
      if (c.errorRate().defaultCode() != null) {
        status(c.errorRate().defaultCode(), at + ".errorRate.defaultCode");
      }
    }
    return this;
  }

  private long duration(String text, String at) {
    if (text == null) {
      add(at, "is required");
      return -1;
    }
    try {
      return Durations.millis(text);
    } catch (IllegalArgumentException e) {
      add(at, e.getMessage());
      return -1;
    }
  }

  private void status(Integer code, String at) {
    if (code == null || code < 100 || code > 599) {
      add(at, "must be an HTTP status code (100-599)");
    }
  }

  private void rate(Double rate, String at) {
    if (rate != null && (rate.isNaN() || rate < 0 || rate > 1)) {
      add(at, "must be between 0.0 and 1.0");
    }
  }

  private void range(Number n, long min, long max, String at) {
    if (n != null && (n.longValue() < min || n.longValue() > max)) {
      add(at, "must be between " + min + " and " + max);
    }
  }

  private void size(List<?> list, String at) {
    if (list.size() > MAX_LIST) {
      add(at, "may hold at most " + MAX_LIST + " entries");
    }
  }

  /** The protocol names toxics may be set for. */
  public static Set<String> protocols() {
    return PROTOCOLS;
  }

  /** Longest PEM text accepted in one field. */
  public static final int MAX_PEM_CHARS = 64 * 1024;

  /**
   * The transport settings; their fields are top-level in a session config ({@code mitm}, {@code
   * upstreamTls}, {@code upstreamProxy}), so problems are reported under those names.
   */
  public PolicyValidator transport(Transport t) {
    if (t == null) {
      return this;
    }
    globs(t.mitm().passthroughHosts(), "mitm.passthroughHosts");
    UpstreamTls tls = t.upstreamTls();
    if (tls.caPem() != null) {
      certificates(tls.caPem(), "upstreamTls.caPem");
    }
    if (tls.clientCertPem() != null) {
      certificates(tls.clientCertPem(), "upstreamTls.clientCertPem");
      if (tls.clientKeyPem() == null) {
        add("upstreamTls.clientKeyPem", "is required with clientCertPem");
      }
    }
    if (tls.clientKeyPem() != null) {
      if (tls.clientCertPem() == null) {
        add("upstreamTls.clientCertPem", "is required with clientKeyPem");
      }
      PemCheck.privateKey(tls.clientKeyPem()).ifPresent(m -> add("upstreamTls.clientKeyPem", m));
    }
    if (t.upstreamProxy() != null) {
      UpstreamProxy.problem(t.upstreamProxy()).ifPresent(m -> add("upstreamProxy", m));
    }
    return this;
  }

  /** Longest proxyAuth username, password, header name or value. */
  public static final int MAX_CREDENTIAL_CHARS = 1024;

  /**
   * The session's {@code proxyAuth}: username and password in forward mode (checked against
   * {@code Proxy-Authorization: Basic}), a header name and value in reverse mode.
   */
  public PolicyValidator proxyAuth(ProxyAuth a, String mode) {
    if (a == null) {
      return this;
    }
    boolean forward = "forward".equals(mode);
    if (forward) {
      if (a.username() == null || a.username().isEmpty()) {
        add("proxyAuth.username", "is required in forward mode (checked against Proxy-Authorization: Basic)");
      } else if (a.username().contains(":")) {
        add("proxyAuth.username", "must not contain ':' (Basic credentials are username:password)");
      }
      if (a.password() == null || a.password().isEmpty()) {
        add("proxyAuth.password", "is required in forward mode");
      }
      if (a.header() != null || a.value() != null) {
        add("proxyAuth.header", "applies to reverse mode; forward mode checks Proxy-Authorization with username and password");
      }
    } else {
      if (a.header() == null || !TOKEN.matcher(a.header()).matches()) {
        add("proxyAuth.header", "is required in reverse mode: a header name (letters, digits and !#$%&'*+.^_`|~-)");
      }
      if (a.value() == null || a.value().isEmpty()) {
        add("proxyAuth.value", "is required in reverse mode");
      }
      if (a.username() != null || a.password() != null) {
        add("proxyAuth.username", "applies to forward mode; reverse mode checks the header and value");
      }
    }
    for (String[] f :
        new String[][] {
          {"username", a.username()}, {"password", a.password()}, {"header", a.header()}, {"value", a.value()}
        }) {
      if (f[1] != null && f[1].length() > MAX_CREDENTIAL_CHARS) {
        add("proxyAuth." + f[0], "must be at most " + MAX_CREDENTIAL_CHARS + " characters");
      } else if (f[1] != null && f[1].chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        add("proxyAuth." + f[0], "must not contain control characters or line breaks");
      }
    }
    return this;
  }

  /**
   * The addresses a session config names literally (the target URL's host, the upstream proxy's
   * host, the DNS map's addresses) against the egress policy; names are checked against its
   * {@code denyHosts} only, since they are resolved (and checked again) by the proxy when it
   * connects. {@code localhost} counts as 127.0.0.1.
   */
  public PolicyValidator egress(EgressPolicy egress, String targetHost, String upstreamProxyHost, Map<String, String> dnsMap) {
    if (egress == null) {
      return this;
    }
    egressHost(egress, targetHost, targetHost, false, "targetUrl");
    egressHost(egress, upstreamProxyHost, upstreamProxyHost, false, "upstreamProxy");
    if (dnsMap != null) {
      dnsMap.forEach((host, address) -> egressHost(egress, host, address, true, "dnsMap." + host));
    }
    return this;
  }

  private void egressHost(EgressPolicy egress, String host, String address, boolean redirected, String at) {
    if (host == null || host.isEmpty() || address == null || address.isEmpty()) {
      return;
    }
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    String lower = a.toLowerCase(Locale.ROOT);
    if (lower.equals("localhost") || lower.endsWith(".localhost")) {
      a = "127.0.0.1";
    }
    java.util.Optional<EgressPolicy.Refusal> refusal =
        Cidr.isLiteral(a) ? egress.check(host, redirected, a) : egress.checkName(host);
    refusal.ifPresent(r -> add(at, "is refused by the egress policy: " + r.target() + " (" + r.rule() + ")"));
  }

  private void certificates(String pem, String at) {
    PemCheck.certificates(pem).ifPresent(m -> add(at, m));
  }
}
