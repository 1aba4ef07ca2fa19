package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarEntry;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.Date;
import java.util.Locale;

/**
 * Maps a stored entry to a HAR 1.2 entry.
 *
 * <p>Besides the standard fields it adds the custom fields {@code _entryId}, {@code _entryType},
 * {@code _truncated} (when a body was cut at the capture limit), {@code _error} (when the exchange
 * failed), {@code _tags}, {@code _webSocketMessages} for WebSocket entries, {@code _tunnel} for
 * CONNECT tunnels (see {@link HarTunnels}), and {@code _graphql}, {@code _soap} and {@code _mcp}
 * for recognised protocols (see {@link HarProtocols}). The entry's notes become its comment.
 */
public final class HarEntryMapper {

  private HarEntryMapper() {}

  /**
   * The HAR entry of {@code stored}.
   *
   * @param pageref the page the entry belongs to, or null for none
   */
  public static HarEntry map(StoredEntry stored, String pageref) {
    CapturedExchange exchange = stored.getExchange();
    HarEntry entry = new HarEntry();
    entry.setPageref(pageref);
    entry.setStartedDateTime(startedDateTime(exchange));
    entry.setTime(HarTimingsMapper.total(exchange.getTimings()));
    boolean tunnel = exchange.getEntryType() == EntryType.TUNNEL;
    entry.setRequest(
        tunnel
            ? HarRequestMapper.map(exchange.getRequest(), HarTunnels.url(exchange))
            : HarRequestMapper.map(exchange.getRequest()));
    entry.setResponse(HarResponseMapper.map(exchange.getResponse()));
    entry.setTimings(HarTimingsMapper.map(exchange.getTimings()));
    String serverIp = IpLiterals.normalize(exchange.getServerAddress());
    if (serverIp != null) {
      entry.setServerIPAddress(serverIp);
    }
    if (!stored.getNotes().isEmpty()) {
      entry.setComment(stored.getNotes());
    }

    entry.setAdditionalField("_entryId", exchange.getEntryId());
    entry.setAdditionalField("_entryType", entryType(exchange.getEntryType()));
    if (exchange.getRequest().getBody().getTruncated()
        || exchange.getResponse().getBody().getTruncated()) {
      entry.setAdditionalField("_truncated", true);
    }
    if (!exchange.getError().isEmpty()) {
      entry.setAdditionalField("_error", exchange.getError());
    }
    if (stored.getTagsCount() > 0) {
      entry.setAdditionalField("_tags", stored.getTagsList());
    }
    if (exchange.getEntryType() == EntryType.WEBSOCKET && exchange.getFramesCount() > 0) {
      entry.setAdditionalField(
          "_webSocketMessages", WebSocketMessages.of(exchange.getFramesList()));
    }
    if (tunnel) {
      entry.setAdditionalField("_tunnel", HarTunnels.info(exchange.getTunnel()));
    }
    if (exchange.hasGraphql()) {
      entry.setAdditionalField("_graphql", HarProtocols.graphql(exchange.getGraphql()));
    }
    if (exchange.hasSoap()) {
      entry.setAdditionalField("_soap", HarProtocols.soap(exchange.getSoap()));
    }
    if (exchange.hasMcp()) {
      entry.setAdditionalField("_mcp", HarProtocols.mcp(exchange.getMcp()));
    }
    return entry;
  }

  /** When the exchange started, to the millisecond. */
  static Date startedDateTime(CapturedExchange exchange) {
    return new Date(Math.floorDiv(exchange.getStartedAtUnixMicros(), 1000));
  }

  private static String entryType(EntryType type) {
    return type == EntryType.ENTRY_TYPE_UNSPECIFIED || type == EntryType.UNRECOGNIZED
        ? "http"
        : type.name().toLowerCase(Locale.ROOT);
  }
}
