package dev.tapedeck.converter.export.convert;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/**
 * A glob pattern with the semantics of {@link java.nio.file.FileSystem#getPathMatcher}: {@code *}
 * matches within one path segment, {@code **} across segments, {@code ?} one character, {@code
 * {a,b}} alternatives and {@code [a-z]} a class. Hosts have no slash, so {@code *.example.com}
 * matches any subdomain; paths are matched segment-wise, so {@code /api/*} matches {@code
 * /api/users} and {@code /api/**} everything under {@code /api/}.
 */
public final class Glob {

  private final String pattern;
  private final PathMatcher matcher;

  private Glob(String pattern, PathMatcher matcher) {
    this.pattern = pattern;
    this.matcher = matcher;
  }

  /**
   * Compiles {@code pattern}.
   *
   * @throws IllegalArgumentException when the pattern is not a valid glob
   */
  public static Glob compile(String pattern) {
    return new Glob(pattern, FileSystems.getDefault().getPathMatcher("glob:" + pattern));
  }

  /** Whether {@code value} matches; a value that is no valid path (a NUL byte) never does. */
  public boolean matches(String value) {
    try {
      return matcher.matches(Path.of(value));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return pattern;
  }
}
