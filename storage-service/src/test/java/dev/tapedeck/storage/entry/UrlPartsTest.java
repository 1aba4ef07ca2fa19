package dev.tapedeck.storage.entry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The host and path stored for a URL are what java.net.URI makes of it, whatever the URL. */
class UrlPartsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://api.example.test/items/1?page=2",
        "https://API.Example.Test:8443/a/b;c=d/%7Euser?x=1&y=%20#frag",
        "http://localhost",
        "http://localhost:8080",
        "http://host?only=query",
        "http://host#only-fragment",
        "http://host/path#frag?with=question",
        "http://host/a#b#c",
        "http://host:/empty-port",
        "http://host:123456/long-port",
        "http://host:99999/",
        "http://127.0.0.1:8080/ip",
        "http://10.0.0.256/not-ip",
        "http://1.2.3/partial",
        "http://a.1b/last-label-digit",
        "http://a..b/empty-label",
        "http://.a/leading-dot",
        "http://a./trailing-dot",
        "http://-a.test/", 
        "http://a-.test/",
        "http://a-b.test/",
        "http://user:pw@host/x",
        "http://[::1]:8080/v6",
        "http://host/%zz",
        "http://host/%4",
        "http://host/a%2",
        "http://host/with space",
        "http://host/ü/non-ascii",
        "http://bücher.test/",
        "http://host/[brackets]",
        "http://host/?q=[1]",
        "http://host/a|b",
        "http://host/a\"b",
        "http://host/a{b}",
        "http://host/a\\b",
        "http://host/a^b",
        "http://host/a`b",
        "http://host_name.test/",
        "HTTP://upper.test/",
        "ftp://files.test/",
        "ws://socket.test/",
        "http:/one-slash",
        "http://",
        "http:///path-only",
        "",
        "not a url",
        "/relative/path",
        "http://host/'quotes'(parens)*!~_-.$,;:@&=+"
      })
  void splitsAsUriDoes(String url) {
    assertThat(UrlParts.of(url)).isEqualTo(UrlParts.parsed(url));
    UrlParts simple = UrlParts.simple(url);
    if (simple != null) {
      assertThat(simple).isEqualTo(UrlParts.parsed(url));
    }
  }

  @Test
  void commonUrlsTakeTheDirectWay() {
    assertThat(UrlParts.simple("http://api.bench.test/items/42?page=3"))
        .isEqualTo(new UrlParts("api.bench.test", "/items/42"));
    assertThat(UrlParts.simple("https://h.test:8443")).isEqualTo(new UrlParts("h.test", ""));
  }

  @Test
  void randomUrlsSplitAsUriDoes() {
    Random random = new Random(15);
    // Mostly characters the direct way takes, then any.
    String[] alphabets = {"aZ09.-:/?#%@_~!$&'()*+,;=", "aZ09.-:/?#%@[]_~!$&'()*+,;= \"<>\\^`{|}üé\u0000\t"};
    String[] prefixes = {"http://", "https://", "http://a.b", "https://h.test:80", "http://x.test/p"};
    int direct = 0;
    for (int n = 0; n < 60_000; n++) {
      String alphabet = alphabets[n % 2];
      StringBuilder url = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
      int length = random.nextInt(16);
      for (int i = 0; i < length; i++) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String u = url.toString();
      assertThat(UrlParts.of(u)).as(u).isEqualTo(UrlParts.parsed(u));
      direct += UrlParts.simple(u) != null ? 1 : 0;
    }
    assertThat(direct).as("URLs taken the direct way").isGreaterThan(5_000);
  }
}
