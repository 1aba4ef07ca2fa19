package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Which exchanges a session records, as the Mockarty recorder names and evaluates them. Every
 * pattern is a {@link Glob}; an empty (or absent) dimension allows all. Filtered-out traffic is
 * still proxied, just not recorded.
 *
 * <p>Evaluation: a host matching any {@code excludeHosts} pattern, or a path matching any {@code
 * excludePaths} pattern, is not recorded; with {@code includeHosts} / {@code includePaths} /
 * {@code includeMethods} set, the request must match at least one of each; a response whose
 * status is in {@code excludeStatus} is discarded. This is mockd's precedence (any exclude wins;
 * with includes, one must match) and gives the same results.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Filters(
    List<String> includeHosts,
    List<String> excludeHosts,
    List<String> includePaths,
    List<String> excludePaths,
    List<String> includeMethods,
    List<Integer> excludeStatus) {

  public static final Filters NONE = new Filters(null, null, null, null, null, null);

  public Filters {
    includeHosts = Lists.orEmpty(includeHosts);
    excludeHosts = Lists.orEmpty(excludeHosts);
    includePaths = Lists.orEmpty(includePaths);
    excludePaths = Lists.orEmpty(excludePaths);
    includeMethods = Lists.orEmpty(includeMethods);
    excludeStatus = Lists.orEmpty(excludeStatus);
  }

  /** Whether every dimension is empty, so everything is recorded. */
  public boolean allowsAll() {
    return includeHosts.isEmpty()
        && excludeHosts.isEmpty()
        && includePaths.isEmpty()
        && excludePaths.isEmpty()
        && includeMethods.isEmpty()
        && excludeStatus.isEmpty();
  }
}
