package dev.tapedeck.converter.export.script;

import dev.tapedeck.correlation.Correlation;

/** The JavaScript the scripts share to fill placeholders and to extract correlated values. */
public final class Extractions {
  private Extractions() {}

  /**
   * {@code fill(request)}: the request with every {@code {{name}}} whose variable is set replaced
   * by its value; {@code pick(header, cookie, text, source)}: the value at a correlation's source
   * in an answer ({@code header(name)} and {@code cookie(name)} read the answer's headers and
   * cookies); {@code jsonPath(value, "$.a[0].b")}.
   */
  public static final String HELPERS =
      """

      // Correlated values: extracted from an answer into vars, sent by the later requests as {{name}}.
      function fill(request) {
        const put = (s) =>
          typeof s === "string"
            ? s.replace(/\\{\\{([A-Za-z0-9_]+)\\}\\}/g, (all, name) => (name in vars ? vars[name] : all))
            : s;
        const headers = {};
        for (const [name, value] of Object.entries(request.headers)) {
          headers[name] = put(value);
        }
        return { ...request, path: put(request.path), headers, body: request.base64 ? request.body : put(request.body) };
      }

      function pick(header, cookie, text, source) {
        if (source.section === "responseJson") {
          let value;
          try {
            value = jsonPath(JSON.parse(text), source.path);
          } catch (e) {
            return undefined;
          }
          return value === undefined || value === null ? undefined : String(value);
        }
        return source.section === "responseHeader" ? header(source.name) : cookie(source.name);
      }

      function jsonPath(value, path) {
        const step = /\\.([A-Za-z_$][A-Za-z0-9_$-]*)|\\[(\\d+)\\]|\\['((?:[^'\\\\]|\\\\.)*)'\\]/g;
        let match;
        let v = value;
        while ((match = step.exec(path)) !== null && v !== undefined && v !== null) {
          v = match[1] !== undefined ? v[match[1]] : match[2] !== undefined ? v[Number(match[2])] : v[match[3].replace(/\\\\(.)/g, "$1")];
        }
        return v;
      }
      """;

  /** The source of {@code c} as a JavaScript literal: {@code {"section":..., "path":..., "name":...}}. */
  public static String source(Correlation c) {
    return ScriptJson.literal(c.source());
  }
}
