package dev.tapedeck.converter.export.convert;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Keeps the entries {@code mockd convert}'s filters select: every configured filter must match
 * (methods, statuses, hosts, paths); within one filter, any one value matching is enough. An entry
 * without a response has no status, so a status filter drops it.
 */
public final class EntryFilter implements Predicate<StoredEntry> {

  private final ConversionOptions options;

  public EntryFilter(ConversionOptions options) {
    this.options = options;
  }

  @Override
  public boolean test(StoredEntry entry) {
    CapturedExchange exchange = entry.getExchange();
    if (!options.methods().isEmpty()
        && !options
            .methods()
            .contains(exchange.getRequest().getMethod().toUpperCase(Locale.ROOT))) {
      return false;
    }
    int status = exchange.hasResponse() ? exchange.getResponse().getStatusCode() : 0;
    if (!options.statuses().isEmpty()
        && options.statuses().stream().noneMatch(s -> s.matches(status))) {
      return false;
    }
    RequestUrl url = RequestUrl.parse(exchange.getRequest().getUrl());
    if (!options.includeHosts().isEmpty()) {
      String host =
          exchange.hasTunnel() && url.host().isEmpty()
              ? exchange.getTunnel().getHost().toLowerCase(Locale.ROOT)
              : url.host();
      if (options.includeHosts().stream().noneMatch(g -> g.matches(host))) {
        return false;
      }
    }
    return options.pathFilters().isEmpty()
        || options.pathFilters().stream().anyMatch(g -> g.matches(url.decodedPath()));
  }
}
