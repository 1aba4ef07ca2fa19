package dev.tapedeck.control.entries;

import dev.tapedeck.proto.storage.v1.AnnotateEntryRequest;
import dev.tapedeck.proto.storage.v1.DeleteEntryRequest;
import dev.tapedeck.proto.storage.v1.DeleteSessionEntriesRequest;
import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import dev.tapedeck.proto.storage.v1.GetEntryRequest;
import dev.tapedeck.proto.storage.v1.ListEntriesRequest;
import dev.tapedeck.proto.storage.v1.SearchEntriesRequest;
import dev.tapedeck.proto.storage.v1.SearchEntriesResponse;
import dev.tapedeck.proto.storage.v1.SessionStatsRequest;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Reads entries from storage-service over gRPC for the REST facade. */
@ApplicationScoped
public class EntryQueries {
  private static final Logger LOG = Logger.getLogger(EntryQueries.class);
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @GrpcClient("storage")
  EntryStoreGrpc.EntryStoreBlockingStub storage;

  /**
   * One page of a session's entries, oldest first unless {@code newestFirst}; after the entry
   * with sequence {@code afterSequence} in that order when it is above 0 (a cursor), else from
   * {@code offset}.
   */
  public List<EntryView> page(
      String sessionId, int offset, int limit, boolean newestFirst, long afterSequence) {
    List<EntryView> page = new ArrayList<>();
    stub()
        .listEntries(
            ListEntriesRequest.newBuilder()
                .setSessionId(sessionId)
                .setOffset(offset)
                .setLimit(limit)
                .setNewestFirst(newestFirst)
                .setAfterSequence(afterSequence)
                .build())
        .forEachRemaining(e -> page.add(EntryView.of(e)));
    return page;
  }

  /** Search matches, and how many match in all. */
  public record Found(List<EntryView> entries, long total) {}

  /** One page of a search across sessions; the request names the sessions in scope. */
  public Found search(SearchEntriesRequest request) {
    SearchEntriesResponse response = stub().searchEntries(request);
    return new Found(response.getEntriesList().stream().map(EntryView::of).toList(), response.getTotal());
  }

  public EntryView one(String sessionId, String entryId) {
    return EntryView.of(
        stub()
            .getEntry(
                GetEntryRequest.newBuilder().setSessionId(sessionId).setEntryId(entryId).build()));
  }

  /** Entry counts per session; an empty map (and a warning) when storage cannot be reached. */
  public Map<String, Long> counts(Collection<String> sessionIds) {
    if (sessionIds.isEmpty()) {
      return Map.of();
    }
    try {
      return stub()
          .sessionStats(SessionStatsRequest.newBuilder().addAllSessionIds(sessionIds).build())
          .getEntryCountsMap();
    } catch (RuntimeException e) {
      LOG.warnf("Entry counts unavailable: %s", e.getMessage());
      return Map.of();
    }
  }

  /** Sets tags and/or notes (null leaves a field as it is); returns the updated entry. */
  public EntryView annotate(String sessionId, String entryId, List<String> tags, String notes) {
    AnnotateEntryRequest.Builder request =
        AnnotateEntryRequest.newBuilder().setSessionId(sessionId).setEntryId(entryId);
    if (tags != null) {
      request.setSetTags(true).addAllTags(tags);
    }
    if (notes != null) {
      request.setNotes(notes);
    }
    return EntryView.of(stub().annotateEntry(request.build()));
  }

  /** Removes one entry; NOT_FOUND (404) if the session holds no such entry. */
  public void delete(String sessionId, String entryId) {
    stub()
        .deleteEntry(DeleteEntryRequest.newBuilder().setSessionId(sessionId).setEntryId(entryId).build());
  }

  /** Removes every entry of a session; returns how many there were. */
  public long deleteAll(String sessionId) {
    return stub()
        .deleteSessionEntries(
            DeleteSessionEntriesRequest.newBuilder().setSessionId(sessionId).build())
        .getDeleted();
  }

  private EntryStoreGrpc.EntryStoreBlockingStub stub() {
    return storage.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }
}
