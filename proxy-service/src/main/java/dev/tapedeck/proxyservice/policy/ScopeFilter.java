package dev.tapedeck.proxyservice.policy;

import com.google.re2j.Pattern;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.Glob;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A session's scope filters, compiled once per settings update. Hosts and paths are those of the
 * recorded URL (in reverse mode the target's host and the path sent upstream); a host pattern
 * with a colon also sees the port ({@code localhost:8080}). Globs are RE2/J patterns, so a filter
 * matches in time linear in the host or path whatever the glob.
 */
public final class ScopeFilter {
  private final List<Pattern> includeHosts;
  private final List<Pattern> excludeHosts;
  private final List<Pattern> includePaths;
  private final List<Pattern> excludePaths;
  private final Set<String> includeMethods = new HashSet<>();
  private final Set<Integer> excludeStatus;

  ScopeFilter(Filters f) {
    includeHosts = f.includeHosts().stream().map(g -> Glob.compile(g, true)).toList();
    excludeHosts = f.excludeHosts().stream().map(g -> Glob.compile(g, true)).toList();
    includePaths = f.includePaths().stream().map(g -> Glob.compile(g, false)).toList();
    excludePaths = f.excludePaths().stream().map(g -> Glob.compile(g, false)).toList();
    f.includeMethods().forEach(m -> includeMethods.add(m.toUpperCase(Locale.ROOT)));
    excludeStatus = Set.copyOf(f.excludeStatus());
  }

  /**
   * Whether a request is in scope, before its response is known: any exclude wins; with includes,
   * at least one of each dimension must match.
   */
  public boolean recordsRequest(String host, int port, String path, String method) {
    String hostPort = host + ":" + port;
    if (matchesAny(excludeHosts, host, hostPort) || matchesAny(excludePaths, path, path)) {
      return false;
    }
    if (!includeHosts.isEmpty() && !matchesAny(includeHosts, host, hostPort)) {
      return false;
    }
    if (!includePaths.isEmpty() && !matchesAny(includePaths, path, path)) {
      return false;
    }
    return includeMethods.isEmpty() || includeMethods.contains(method.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether a CONNECT tunnel that is not decrypted is in scope: only the host filters can see it
   * (its paths and methods travel encrypted), so any exclude wins and, with includes, one must
   * match.
   */
  public boolean recordsConnection(String host, int port) {
    String hostPort = host + ":" + port;
    if (matchesAny(excludeHosts, host, hostPort)) {
      return false;
    }
    return includeHosts.isEmpty() || matchesAny(includeHosts, host, hostPort);
  }

  /** Whether a response with {@code status} is kept. */
  public boolean recordsStatus(int status) {
    return !excludeStatus.contains(status);
  }

  private static boolean matchesAny(List<Pattern> patterns, String plain, String withPort) {
    for (Pattern p : patterns) {
      String subject = p.pattern().contains(":") ? withPort : plain;
      if (p.matcher(subject).matches()) {
        return true;
      }
    }
    return false;
  }
}
