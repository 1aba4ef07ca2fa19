package dev.tapedeck.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.google.re2j.Pattern;

/**
 * Where a session's proxy may connect: the address ranges and host names an administrator allows
 * or denies, and the ports {@code CONNECT} may open. The proxy checks it on the address it is
 * about to connect to (resolved once, then connected to as checked), so a name that resolves to a
 * denied address is refused like the address itself; the control plane checks literal addresses
 * in a session config with the same rules.
 *
 * <p>The decision for a connection to {@code address}, asked for as {@code host}:
 *
 * <ol>
 *   <li>{@code host} matches a {@code denyHosts} glob: refused;
 *   <li>{@code host} matches an {@code allowHosts} glob and the session's DNS map did not redirect
 *       it: allowed, wherever it resolves;
 *   <li>otherwise the most specific CIDR of {@code allowCidrs} and {@code denyCidrs} containing
 *       {@code address} decides (deny on a tie); an address in neither is allowed.
 * </ol>
 */
public final class EgressPolicy {
  /**
   * The ranges refused by default: this network, loopback, link-local (cloud metadata at
   * 169.254.169.254), the private ranges, carrier-grade NAT, and their IPv6 counterparts.
   */
  public static final Map<String, String> INTERNAL_RANGES = internalRanges();

  /** Allows everything: for embedding and tests, never a service default. */
  public static final EgressPolicy OPEN = new EgressPolicy(List.of(), List.of(), List.of(), List.of(), PortSet.ANY);

  private final List<Cidr> allowCidrs;
  private final List<Cidr> denyCidrs;
  private final List<Map.Entry<String, Pattern>> allowHosts;
  private final List<Map.Entry<String, Pattern>> denyHosts;
  private final PortSet connectPorts;
  // The CIDR verdict per address: the rule that refuses it, "" when none does. A session's
  // traffic goes to a few addresses, each checked on every request; parsing the literal and
  // walking the ranges each time was about 4% of the proxy's CPU per forwarded request.
  private final Map<String, String> verdicts = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_VERDICTS = 4096;

  private EgressPolicy(
      List<Cidr> allowCidrs,
      List<Cidr> denyCidrs,
      List<Map.Entry<String, Pattern>> allowHosts,
      List<Map.Entry<String, Pattern>> denyHosts,
      PortSet connectPorts) {
    this.allowCidrs = allowCidrs;
    this.denyCidrs = denyCidrs;
    this.allowHosts = allowHosts;
    this.denyHosts = denyHosts;
    this.connectPorts = connectPorts;
  }

  /**
   * The policy from its settings.
   *
   * @param connectPorts ports and ranges {@code CONNECT} may open ({@code 443,80}, {@code
   *     8000-8999}, {@code *} for any)
   * @throws IllegalArgumentException naming the setting and the entry at fault
   */
  public static EgressPolicy of(
      List<String> allowCidrs,
      List<String> denyCidrs,
      List<String> allowHosts,
      List<String> denyHosts,
      String connectPorts) {
    return new EgressPolicy(
        cidrs(allowCidrs, "allow-cidrs"),
        cidrs(denyCidrs, "deny-cidrs"),
        globs(allowHosts, "allow-hosts"),
        globs(denyHosts, "deny-hosts"),
        PortSet.parse(connectPorts, "connect-ports"));
  }

  private static List<Cidr> cidrs(List<String> texts, String setting) {
    List<Cidr> out = new ArrayList<>();
    for (String t : texts == null ? List.<String>of() : texts) {
      if (t == null || t.isBlank()) {
        continue;
      }
      try {
        out.add(Cidr.parse(t));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("egress " + setting + ": " + t.trim() + " " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  private static List<Map.Entry<String, Pattern>> globs(List<String> texts, String setting) {
    List<Map.Entry<String, Pattern>> out = new ArrayList<>();
    for (String t : texts == null ? List.<String>of() : texts) {
      if (t == null || t.isBlank()) {
        continue;
      }
      try {
        out.add(Map.entry(t.trim(), Glob.compile(t.trim(), true)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("egress " + setting + ": " + t.trim() + " " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  /** Why a connection is refused: the address (or name) and the rule that refused it. */
  public record Refusal(String target, String rule) {
    /** A sentence for the client and the recorded entry. */
    public String message() {
      return "Egress to " + target + " refused by the egress policy (" + rule + ")";
    }
  }

  /**
   * The refusal of a connection to {@code address} (an IP literal) for {@code host}, or empty
   * when it is allowed.
   *
   * @param host the name (or address) the client asked for
   * @param redirected whether the session's DNS map chose the address rather than DNS
   */
  public Optional<Refusal> check(String host, boolean redirected, String address) {
    Optional<Refusal> byName = checkName(host);
    if (byName.isPresent()) {
      return byName;
    }
    if (!redirected && allowedByName(host)) {
      return Optional.empty();
    }
    return checkAddress(host, address);
  }

  /** The refusal of {@code host} by a {@code denyHosts} glob, before any lookup. */
  public Optional<Refusal> checkName(String host) {
    for (Map.Entry<String, Pattern> deny : denyHosts) {
      if (host != null && deny.getValue().matcher(host).matches()) {
        return Optional.of(new Refusal(host, "denyHosts " + deny.getKey()));
      }
    }
    return Optional.empty();
  }

  private boolean allowedByName(String host) {
    return host != null && allowHosts.stream().anyMatch(a -> a.getValue().matcher(host).matches());
  }

  /**
   * The refusal of {@code address} by the CIDR rules alone, or empty; {@code address} that is no
   * IP literal is refused (the proxy always checks what it resolved).
   */
  public Optional<Refusal> checkAddress(String host, String address) {
    String rule = address == null ? "not an IP address" : verdicts.get(address);
    if (rule == null) {
      rule = verdict(address);
      if (verdicts.size() >= MAX_VERDICTS) {
        verdicts.clear();
      }
      verdicts.put(address, rule);
    }
    if (rule.isEmpty()) {
      return Optional.empty();
    }
    String shown = host == null || host.equalsIgnoreCase(address) ? address : address + " (" + host + ")";
    return Optional.of(new Refusal(shown, rule));
  }

  /** The rule that refuses {@code address}, or "" when none does. */
  private String verdict(String address) {
    Optional<byte[]> bytes = Cidr.literal(address);
    if (bytes.isEmpty()) {
      return "not an IP address";
    }
    Cidr allow = mostSpecific(allowCidrs, bytes.get());
    Cidr deny = mostSpecific(denyCidrs, bytes.get());
    if (deny != null && (allow == null || deny.prefix() >= allow.prefix())) {
      String name = INTERNAL_RANGES.get(deny.text());
      return "denyCidrs " + deny.text() + (name == null ? "" : ", " + name);
    }
    return "";
  }

  private static Cidr mostSpecific(List<Cidr> ranges, byte[] address) {
    Cidr best = null;
    for (Cidr c : ranges) {
      if (c.contains(address) && (best == null || c.prefix() > best.prefix())) {
        best = c;
      }
    }
    return best;
  }

  /** The refusal of a {@code CONNECT} to {@code port}, or empty when that port may be opened. */
  public Optional<Refusal> checkConnectPort(String host, int port) {
    if (connectPorts.contains(port)) {
      return Optional.empty();
    }
    return Optional.of(
        new Refusal(HostPortText.of(host, port), "CONNECT ports " + connectPorts + "; port " + port + " is not among them"));
  }

  /** Whether anything is refused at all (false for {@link #OPEN}). */
  public boolean restricts() {
    return !denyCidrs.isEmpty() || !denyHosts.isEmpty() || connectPorts != PortSet.ANY;
  }

  /** One line for the start-up log. */
  public String describe() {
    return "deny " + denyCidrs + ", allow " + allowCidrs + ", denyHosts "
        + denyHosts.stream().map(Map.Entry::getKey).toList() + ", allowHosts "
        + allowHosts.stream().map(Map.Entry::getKey).toList() + ", CONNECT ports " + connectPorts;
  }

  private static Map<String, String> internalRanges() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("0.0.0.0/8", "this network");
    m.put("127.0.0.0/8", "loopback");
    m.put("169.254.0.0/16", "link-local, cloud metadata");
    m.put("10.0.0.0/8", "private");
    m.put("172.16.0.0/12", "private");
    m.put("192.168.0.0/16", "private");
    m.put("100.64.0.0/10", "carrier-grade NAT");
    m.put("::/128", "unspecified");
    m.put("::1/128", "loopback");
    m.put("fe80::/10", "link-local");
    m.put("fc00::/7", "unique local");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** host:port with IPv6 literals in brackets. */
  private static final class HostPortText {
    static String of(String host, int port) {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** A set of ports: single ports and ranges, or any. */
  public static final class PortSet {
    public static final PortSet ANY = new PortSet(List.of(), "*");
    private final List<int[]> ranges;
    private final String text;

    private PortSet(List<int[]> ranges, String text) {
      this.ranges = ranges;
      this.text = text;
    }

    /** Parses {@code 443,80,8000-8999} or {@code *}. */
    public static PortSet parse(String text, String setting) {
      if (text == null || text.isBlank() || text.trim().equals("*")) {
        return ANY;
      }
      List<int[]> ranges = new ArrayList<>();
      for (String part : text.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        try {
          int dash = p.indexOf('-');
          int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
          int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
          if (from < 1 || to > 65535 || to < from) {
            throw new NumberFormatException();
          }
          ranges.add(new int[] {from, to});
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "egress " + setting + ": " + p + " is not a port (1-65535) or a range from-to");
        }
      }
      return new PortSet(List.copyOf(ranges), text.trim().replace(" ", ""));
    }

    public boolean contains(int port) {
      return this == ANY || ranges.stream().anyMatch(r -> port >= r[0] && port <= r[1]);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
