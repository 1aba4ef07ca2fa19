package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarEntry;
import de.sstoehr.harreader.model.HarTiming;
import dev.tapedeck.proto.capture.v1.CaptureLoss;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Flags;
import dev.tapedeck.proto.capture.v1.StreamPart;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a stored entry to a HAR 1.2 entry.
 *
 * <p>Besides the standard fields it adds the custom fields {@code _entryId}, {@code _entryType},
 * {@code _truncated} (when a body was cut at the capture limit), {@code _error} (when the exchange
 * failed), {@code _loss} (what the recording could not keep and why: {@code kind}, {@code reason},
 * {@code bytesLost}, {@code framesLost}), {@code _stream} (a part of a long stream recorded as
 * linked entries: {@code streamId}, {@code part}, {@code last}), {@code _flags} (what the proxy did
 * besides forwarding: {@code mapLocal}, {@code playbackMiss}, {@code modified}, {@code refused},
 * {@code toxics}, {@code rewriteSkipped}; only those set), {@code _tags}, {@code
 * _webSocketMessages} for WebSocket entries, {@code _tunnel} for
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
    HarTiming timings = HarTimingsMapper.map(exchange.getTimings());
    entry.setTime(HarTimingsMapper.time(timings));
    boolean tunnel = exchange.getEntryType() == EntryType.TUNNEL;
    entry.setRequest(
        tunnel
            ? HarRequestMapper.map(exchange.getRequest(), HarTunnels.url(exchange))
            : HarRequestMapper.map(exchange.getRequest()));
    entry.setResponse(HarResponseMapper.map(exchange.getResponse()));
    entry.setTimings(timings);
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
    if (exchange.hasLoss()) {
      CaptureLoss loss = exchange.getLoss();
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("kind", loss.getKind());
      l.put("reason", loss.getReason());
      l.put("bytesLost", loss.getBytesLost());
      l.put("framesLost", loss.getFramesLost());
      entry.setAdditionalField("_loss", l);
    }
    if (exchange.hasStream()) {
      StreamPart part = exchange.getStream();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("streamId", part.getStreamId());
      p.put("part", part.getPart());
      p.put("last", part.getLast());
      entry.setAdditionalField("_stream", p);
    }
    Map<String, Object> flags = flags(exchange.getFlags());
    if (!flags.isEmpty()) {
      entry.setAdditionalField("_flags", flags);
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

  /** The flags that are set, by their API names. */
  private static Map<String, Object> flags(Flags f) {
    Map<String, Object> set = new LinkedHashMap<>();
    if (f.getMapLocal()) {
      set.put("mapLocal", true);
    }
    if (f.getPlaybackMiss()) {
      set.put("playbackMiss", true);
    }
    if (f.getModified()) {
      set.put("modified", true);
    }
    if (f.getRefused()) {
      set.put("refused", true);
    }
    if (f.getToxicsCount() > 0) {
      set.put("toxics", f.getToxicsList());
    }
    if (f.getRewriteSkippedCount() > 0) {
      set.put("rewriteSkipped", f.getRewriteSkippedList());
    }
    return set;
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
