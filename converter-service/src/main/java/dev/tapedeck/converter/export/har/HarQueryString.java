package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarQueryParam;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The query parameters of a URL, URL-decoded, in order, duplicates kept. */
final class HarQueryString {

  private HarQueryString() {}

  /** The parameters of the URL's query; none when it has no query. */
  static List<HarQueryParam> of(String url) {
    int question = url.indexOf('?');
    if (question < 0) {
      return List.of();
    }
    int hash = url.indexOf('#', question);
    String query = hash < 0 ? url.substring(question + 1) : url.substring(question + 1, hash);
    List<HarQueryParam> params = new ArrayList<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      HarQueryParam param = new HarQueryParam();
      param.setName(decode(eq < 0 ? pair : pair.substring(0, eq)));
      param.setValue(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      params.add(param);
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A stray '%' that starts no escape: show the text as it was sent.
      return s;
    }
  }
}
