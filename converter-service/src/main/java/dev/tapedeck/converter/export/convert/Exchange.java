package dev.tapedeck.converter.export.convert;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Header;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One recorded request and its response, as the mock, collection, script and OpenAPI writers read
 * it: URL parts, headers, and bodies decoded once.
 *
 * @param entryId the entry's id
 * @param startedAtMicros when the request started, in microseconds since the epoch
 * @param durationMs how long the exchange took
 * @param method the method, upper case
 * @param url the URL's parts
 * @param requestHeaders the request's headers as captured (after redaction)
 * @param requestBody the request body
 * @param status the response status
 * @param responseHeaders the response's headers
 * @param responseBody the response body
 */
public record Exchange(
    String entryId,
    long startedAtMicros,
    double durationMs,
    String method,
    RequestUrl url,
    List<Header> requestHeaders,
    Content requestBody,
    int status,
    List<Header> responseHeaders,
    Content responseBody) {

  private static final Set<EntryType> NOT_REPLAYABLE =
      Set.of(EntryType.TUNNEL, EntryType.WEBSOCKET, EntryType.GRPC);

  /**
   * The exchange an entry holds, when it is a request answered over HTTP: tunnels, WebSocket
   * upgrades, gRPC calls, failed exchanges (no response) and entries without a request are left
   * out, since no HTTP mock, collection or script can replay them.
   */
  public static Optional<Exchange> of(StoredEntry entry) {
    CapturedExchange captured = entry.getExchange();
    if (NOT_REPLAYABLE.contains(captured.getEntryType())
        || !captured.hasRequest()
        || !captured.hasResponse()
        || captured.getResponse().getStatusCode() <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new Exchange(
            captured.getEntryId(),
            captured.getStartedAtUnixMicros(),
            captured.getTimings().getTotalMs(),
            captured.getRequest().getMethod().toUpperCase(Locale.ROOT),
            RequestUrl.parse(captured.getRequest().getUrl()),
            captured.getRequest().getHeadersList(),
            Content.of(captured.getRequest().getBody(), captured.getRequest().getHeadersList()),
            captured.getResponse().getStatusCode(),
            captured.getResponse().getHeadersList(),
            Content.of(captured.getResponse().getBody(), captured.getResponse().getHeadersList())));
  }

  /** The first value of a request header, case-insensitively. */
  public Optional<String> requestHeader(String name) {
    return requestHeaders.stream()
        .filter(h -> h.getName().equalsIgnoreCase(name))
        .map(Header::getValue)
        .findFirst();
  }
}
