package dev.tapedeck.policy.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WireMock's response templating, the parts users reach for: values of the request ({@code
 * {{request.path.[1]}}}, {@code {{request.query.page}}}, {@code {{request.headers.X-Trace}}},
 * {@code {{request.body}}}, {@code {{jsonPath request.body '$.id'}}}, {@code {{request.method}}},
 * {@code {{request.url}}}), the time ({@code {{now}}}, {@code {{now format='yyyy-MM-dd'}}},
 * {@code {{now offset='3 days'}}}, {@code format='epoch'}) and random values ({@code {{randomValue
 * type='UUID'}}}, {@code {{randomValue length=8 type='ALPHANUMERIC'}}}). {@code {{{...}}}} is the
 * same as {@code {{...}}}: values are inserted as they are, never HTML-escaped. A template is
 * compiled once, when the mock arrives; an expression this version does not know makes the mock
 * invalid.
 */
public final class ResponseTemplate {
  private static final Pattern TAG = Pattern.compile("\\{\\{\\{?\\s*(.*?)\\s*}?}}", Pattern.DOTALL);
  private static final Pattern OPTION = Pattern.compile("(\\w+)=(?:'([^']*)'|\"([^\"]*)\"|(\\S+))");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Function<MockRequest, String>> parts;

  private ResponseTemplate(List<Function<MockRequest, String>> parts) {
    this.parts = parts;
  }

  /** The template in {@code text}; {@code field} names it in errors. */
  public static ResponseTemplate compile(String text, String field) {
    List<Function<MockRequest, String>> parts = new ArrayList<>();
    Matcher m = TAG.matcher(text);
    int last = 0;
    while (m.find()) {
      if (m.start() > last) {
        String literal = text.substring(last, m.start());
        parts.add(r -> literal);
      }
      parts.add(expression(m.group(1), field));
      last = m.end();
    }
    if (last < text.length()) {
      String literal = text.substring(last);
      parts.add(r -> literal);
    }
    return new ResponseTemplate(List.copyOf(parts));
  }

  /** The text for {@code request}. */
  public String render(MockRequest request) {
    StringBuilder out = new StringBuilder();
    for (Function<MockRequest, String> part : parts) {
      out.append(part.apply(request));
    }
    return out.toString();
  }

  private static Function<MockRequest, String> expression(String expr, String field) {
    String[] words = expr.split("\\s+", 2);
    String head = words[0];
    Map<String, String> options = options(words.length > 1 ? words[1] : "");
    switch (head) {
      case "now" -> {
        return now(options, field);
      }
      case "randomValue" -> {
        return random(options, field);
      }
      case "jsonPath" -> {
        String[] args = words.length > 1 ? words[1].trim().split("\\s+", 2) : new String[0];
        if (args.length != 2 || !args[0].equals("request.body")) {
          throw new InvalidMock(field, "jsonPath takes request.body and a path: {{jsonPath request.body '$.id'}}");
        }
        String path = unquote(args[1].trim());
        JsonPaths.check(path, field);
        return r -> {
          try {
            JsonNode root = JSON.readTree(r.body() == null ? new byte[0] : r.body());
            JsonNode found = root == null ? null : JsonPaths.at(root, path);
            return found == null || found.isMissingNode() ? "" : found.isValueNode() ? found.asText() : found.toString();
          } catch (java.io.IOException e) {
            return "";
          }
        };
      }
      default -> {
        return request(head, field);
      }
    }
  }

  private static Function<MockRequest, String> request(String path, String field) {
    String[] steps = path.split("\\.");
    if (steps.length < 2 || !steps[0].equals("request")) {
      throw new InvalidMock(
          field, "holds {{" + path + "}}, which response templating does not know (request.*, jsonPath, now, randomValue)");
    }
    String what = steps[1];
    int index = steps.length > 3 ? indexOf(steps[3], field) : 0;
    switch (what) {
      case "url" -> {
        return MockRequest::url;
      }
      case "method" -> {
        return MockRequest::method;
      }
      case "body" -> {
        return MockRequest::bodyText;
      }
      case "path", "pathSegments" -> {
        if (steps.length == 2) {
          return MockRequest::path;
        }
        int segment = indexOf(steps[2], field);
        return r -> {
          String[] segments = r.path().startsWith("/") ? r.path().substring(1).split("/") : r.path().split("/");
          return segment < segments.length ? segments[segment] : "";
        };
      }
      case "query", "headers", "header" -> {
        if (steps.length < 3) {
          throw new InvalidMock(field, "{{request." + what + "}} needs a name: {{request." + what + ".name}}");
        }
        String name = steps[2];
        boolean query = what.equals("query");
        return r -> {
          List<String> values = query ? r.queryValues(name) : r.header(name);
          return index < values.size() ? values.get(index) : "";
        };
      }
      default -> throw new InvalidMock(field, "holds {{" + path + "}}, which response templating does not know");
    }
  }

  private static int indexOf(String step, String field) {
    String s = step.startsWith("[") && step.endsWith("]") ? step.substring(1, step.length() - 1) : step;
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new InvalidMock(field, "has an index that is not a number: " + step);
    }
  }

  private static Function<MockRequest, String> now(Map<String, String> options, String field) {
    Duration offset = options.containsKey("offset") ? offset(options.get("offset"), field) : Duration.ZERO;
    String format = options.get("format");
    if (format == null) {
      return r -> Instant.now().plus(offset).toString();
    }
    if (format.equals("epoch")) {
      return r -> String.valueOf(Instant.now().plus(offset).toEpochMilli());
    }
    if (format.equals("unix")) {
      return r -> String.valueOf(Instant.now().plus(offset).getEpochSecond());
    }
    DateTimeFormatter formatter;
    try {
      formatter = DateTimeFormatter.ofPattern(format, Locale.ROOT).withZone(ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      throw new InvalidMock(field, "has a date format that is not valid: " + format);
    }
    return r -> formatter.format(Instant.now().plus(offset));
  }

  private static Duration offset(String text, String field) {
    String[] parts = text.trim().split("\\s+");
    try {
      long amount = Long.parseLong(parts[0]);
      String unit = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "seconds";
      return switch (unit.endsWith("s") ? unit : unit + "s") {
        case "seconds" -> Duration.ofSeconds(amount);
        case "minutes" -> Duration.ofMinutes(amount);
        case "hours" -> Duration.ofHours(amount);
        case "days" -> Duration.ofDays(amount);
        case "milliseconds" -> Duration.ofMillis(amount);
        default -> throw new InvalidMock(field, "has an offset unit that is not known: " + unit);
      };
    } catch (NumberFormatException e) {
      throw new InvalidMock(field, "has an offset that is not \"<number> <unit>\": " + text);
    }
  }

  private static Function<MockRequest, String> random(Map<String, String> options, String field) {
    String type = options.getOrDefault("type", "ALPHANUMERIC").toUpperCase(Locale.ROOT);
    if (type.equals("UUID")) {
      return r -> UUID.randomUUID().toString();
    }
    String alphabet =
        switch (type) {
          case "ALPHANUMERIC" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
          case "ALPHABETIC" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
          case "NUMERIC" -> "0123456789";
          case "HEXADECIMAL" -> "0123456789abcdef";
          case "ALPHANUMERIC_AND_SYMBOLS" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-./:;<=>?@[]^_{|}~";
          default -> throw new InvalidMock(field, "randomValue type must be UUID, ALPHANUMERIC, ALPHABETIC, NUMERIC, HEXADECIMAL or ALPHANUMERIC_AND_SYMBOLS");
        };
    int length;
    try {
      length = Integer.parseInt(options.getOrDefault("length", "36"));
    } catch (NumberFormatException e) {
      throw new InvalidMock(field, "randomValue length must be a number");
    }
    if (length < 1 || length > 1000) {
      throw new InvalidMock(field, "randomValue length must be between 1 and 1000");
    }
    int n = length;
    return r -> {
      StringBuilder s = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
      }
      return s.toString();
    };
  }

  private static Map<String, String> options(String text) {
    Map<String, String> options = new LinkedHashMap<>();
    Matcher m = OPTION.matcher(text);
    while (m.find()) {
      String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4);
      options.put(m.group(1), value);
    }
    return options;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
      return s.substring(1, s.length() - 1);
    }
    return s;
  }
}
