package dev.tapedeck.correlation;

import java.util.List;

/**
 * A value one response handed out and later requests sent back: a token, an id, a CSRF value.
 * Field names as in Mockarty's correlation report.
 *
 * @param id a short id, {@code c1}, {@code c2}, ... in the order found
 * @param variable a variable name for scripts, from the source's key ({@code token})
 * @param value the value as recorded
 * @param valueType {@code jwt}, {@code uuid}, {@code numeric}, {@code token} or {@code string}
 * @param source where it came from
 * @param targets where later requests sent it
 * @param confidence 0-1, how sure the engine is that the value flows rather than recurs by chance
 */
public record Correlation(
    String id,
    String variable,
    String value,
    String valueType,
    Source source,
    List<Target> targets,
    double confidence) {

  /**
   * Where a value came from.
   *
   * @param entryId the entry whose response carried it
   * @param section {@code responseJson}, {@code responseHeader} or {@code setCookie}
   * @param path the JSON path ({@code $.token}) for {@code responseJson}, else null
   * @param name the header or cookie name, else null
   */
  public record Source(String entryId, String section, String path, String name) {
    public static final String JSON = "responseJson";
    public static final String HEADER = "responseHeader";
    public static final String SET_COOKIE = "setCookie";
  }

  /**
   * Where a later request sent it.
   *
   * @param entryId the entry whose request sent it
   * @param section {@code url}, {@code query}, {@code header}, {@code body}, {@code form} or
   *     {@code cookie}
   * @param name the query parameter, header, form field or cookie name, or the JSON path in a body;
   *     the path segment index for {@code url}
   */
  public record Target(String entryId, String section, String name) {}
}
