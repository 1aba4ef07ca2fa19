package dev.tapedeck.converter.export.har;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the IP address out of an entry's server address, so only an IP literal goes into {@code
 * serverIPAddress}. The proxy records {@code ip:port} ({@code 127.0.0.1:8080}, {@code
 * [0:0:0:0:0:0:0:1]:8080}); an imported HAR entry has the address alone.
 */
final class IpLiterals {

  // An IPv4 address, and the port after it if there is one.
  private static final Pattern IPV4 =
      Pattern.compile(
          "((?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d))(?::\\d{1,5})?");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]*)\\](?::\\d{1,5})?");
  // Before addresses were bracketed, an IPv6 server was recorded as 0:0:0:0:0:0:0:1:8080.
  private static final Pattern UNBRACKETED_AND_PORT = Pattern.compile("(.*):\\d{1,5}");

  private IpLiterals() {}

  /** The IP address of {@code address} (without a port or IPv6 brackets), or null when it has none. */
  static String normalize(String address) {
    String a = address.trim();
    Matcher bracketed = BRACKETED.matcher(a);
    if (bracketed.matches()) {
      return ipv6(bracketed.group(1));
    }
    Matcher ipv4 = IPV4.matcher(a);
    if (ipv4.matches()) {
      return ipv4.group(1);
    }
    String ipv6 = ipv6(a);
    if (ipv6 != null) {
      return ipv6;
    }
    Matcher unbracketed = UNBRACKETED_AND_PORT.matcher(a);
    return unbracketed.matches() ? ipv6(unbracketed.group(1)) : null;
  }

  /** {@code a} when it is an IPv6 literal, else null. */
  private static String ipv6(String a) {
    // Only hex digits, colons and dots, so InetAddress parses a literal and never resolves a name.
    if (!a.contains(":") || !IPV6_CHARS.matcher(a).matches()) {
      return null;
    }
    try {
      InetAddress.getByName(a);
      return a;
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
