package dev.tapedeck.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code fe80::/10}); a bare
 * address is a range of one. IPv4-mapped IPv6 addresses ({@code ::ffff:127.0.0.1}) are matched as
 * the IPv4 address they carry, so a mapped form cannot slip past an IPv4 rule.
 *
 * <p>Small on purpose: parsing never looks a name up (only literals are accepted), and matching
 * compares the leading {@code prefix} bits.
 */
public record Cidr(byte[] network, int prefix, String text) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /**
   * The range {@code text} names.
   *
   * @throws IllegalArgumentException with a sentence saying what is wrong
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    String t = text.trim();
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    byte[] address =
        literal(addressText).orElseThrow(() -> new IllegalArgumentException("is not an IP address or CIDR range: " + text));
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = t.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException("has a prefix length that is not 0-" + bits + ": " + text);
      }
      prefix = Integer.parseInt(p);
    }
    byte[] network = address.clone();
    for (int i = 0; i < network.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      network[i] &= (byte) (0xff << (8 - keep));
    }
    return new Cidr(network, prefix, t.toLowerCase(Locale.ROOT));
  }

  /**
   * The bytes of an IP literal (4 for IPv4, also for an IPv4-mapped IPv6 address; 16 for IPv6),
   * or empty when {@code text} is not one. Never resolves a name.
   */
  public static Optional<byte[]> literal(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    int zone = t.indexOf('%');
    if (zone >= 0) {
      t = t.substring(0, zone);
    }
    if (IPV4.matcher(t).matches()) {
      for (String part : t.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return Optional.empty();
        }
      }
    } else if (!IPV6.matcher(t).matches()) {
      return Optional.empty();
    }
    try {
      // A literal: getByName parses it without a lookup (and maps ::ffff:a.b.c.d to IPv4).
      InetAddress a = InetAddress.getByName(t);
      return Optional.of(a instanceof Inet4Address ? a.getAddress() : unmapped(a.getAddress()));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code text} is an IPv4 or IPv6 literal. */
  public static boolean isLiteral(String text) {
    return literal(text).isPresent();
  }

  private static byte[] unmapped(byte[] v6) {
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return v6;
      }
    }
    if (v6[10] == (byte) 0xff && v6[11] == (byte) 0xff) {
      return new byte[] {v6[12], v6[13], v6[14], v6[15]};
    }
    return v6;
  }

  /** Whether {@code address} (bytes as {@link #literal} gives them) lies in this range. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    for (int i = 0; i < network.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      if (keep == 0) {
        return true;
      }
      int mask = (0xff << (8 - keep)) & 0xff;
      if ((address[i] & mask) != (network[i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
