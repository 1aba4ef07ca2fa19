package dev.tapedeck.converter.export.mock;

import dev.tapedeck.converter.export.convert.Content;
import dev.tapedeck.converter.export.convert.Exchange;
import dev.tapedeck.proto.capture.v1.Header;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A response a mock serves.
 *
 * @param status the status code
 * @param headers the headers to send: the recorded ones without those describing the recorded
 *     transfer (length, encoding, connection), which the mock server sets itself
 * @param body the body, decoded
 * @param entryId the entry it was recorded in
 */
public record MockResponse(int status, List<Header> headers, Content body, String entryId) {

  private static final Set<String> TRANSFER_HEADERS =
      Set.of(
          "content-length",
          "transfer-encoding",
          "content-encoding",
          "connection",
          "keep-alive",
          "date",
          "trailer",
          "upgrade");

  /** The response of a recorded exchange. */
  public static MockResponse of(Exchange exchange) {
    List<Header> headers =
        exchange.responseHeaders().stream()
            .filter(h -> !TRANSFER_HEADERS.contains(h.getName().toLowerCase(Locale.ROOT)))
            .toList();
    return new MockResponse(
        exchange.status(), headers, exchange.responseBody(), exchange.entryId());
  }

  /**
   * Whether two responses answer the same: status and body. Headers such as ETag or a request id
   * differ on every response and would make every repeat look like a new answer.
   */
  public boolean sameAs(MockResponse other) {
    return status == other.status && body.text().equals(other.body.text());
  }
}
