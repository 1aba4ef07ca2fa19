package dev.tapedeck.cli.exports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tapedeck.cli.api.Api;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A session's export, as {@code export} and {@code run --export} ask for it: the route and body for
 * a format, the answer written to a file or standard output.
 */
public final class Exports {
  /** The formats {@code --format} takes. */
  public static final List<String> FORMATS =
      List.of("har", "wiremock", "mockd", "postman", "insomnia-v4", "insomnia-v5", "openapi", "k6", "node-test", "collection");

  private Exports() {}

  /** The API path that writes {@code format} for session {@code id}. */
  public static String path(String id, String format) {
    String route =
        switch (format) {
          case "k6" -> "export-perf";
          case "node-test" -> "export-test";
          case "collection" -> "export-collection";
          default -> "export";
        };
    return "/api/v1/recorder/" + Api.encode(id) + "/" + route;
  }

  /** The export body: the format (for {@code /export}), the entries, the conversion flags. */
  public static ObjectNode body(String format, List<String> entryIds, ConversionFlags flags) {
    ObjectNode body = Api.JSON.createObjectNode();
    if (path("x", format).endsWith("/export")) {
      body.put("format", format);
    }
    if (entryIds != null && !entryIds.isEmpty()) {
      entryIds.forEach(body.putArray("entryIds")::add);
    }
    flags.addTo(body);
    return body;
  }

  /** The format named, lower case. */
  public static String format(String name) {
    String format = name.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException(
          "unknown format \"" + name + "\"; one of " + String.join(", ", FORMATS));
    }
    return format;
  }

  /**
   * Writes session {@code id}'s export to {@code target} ({@code -} for standard output).
   *
   * @return bytes written to a file, -1 for standard output
   */
  public static long write(Api api, String id, String format, List<String> entryIds, ConversionFlags flags, String target, PrintWriter out) {
    ObjectNode body = body(format, entryIds, flags);
    if (target == null || target.equals("-")) {
      out.print(api.text("POST", path(id, format), body));
      out.flush();
      return -1;
    }
    return api.download("POST", path(id, format), body, Path.of(target));
  }
}
