package dev.tapedeck.converter.export.har;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Recognises IP address literals, so only those go into {@code serverIPAddress}. */
final class IpLiterals {

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiterals() {}

  /** The address without IPv6 brackets, or null when it is not an IP literal. */
  static String normalize(String address) {
    String a = address.trim();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    if (IPV4.matcher(a).matches()) {
      return a;
    }
    // Only hex digits, colons and dots, so InetAddress parses a literal and never resolves a name.
    if (a.contains(":") && IPV6_CHARS.matcher(a).matches()) {
      try {
        InetAddress.getByName(a);
        return a;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    return null;
  }
}
