package dev.tapedeck.control.replay;

import dev.tapedeck.control.entries.EntryView;
import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import dev.tapedeck.proto.storage.v1.GetEntryRequest;
import dev.tapedeck.proto.storage.v1.ListEntriesRequest;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A session's entries for replay and correlation, read from storage-service a page at a time in
 * recorded order, so a long session is never held in memory whole.
 */
@ApplicationScoped
public class ReplayEntries {
  static final int PAGE = 50;
  private static final long DEADLINE_SECONDS = 30;

  @GrpcClient("storage")
  EntryStoreGrpc.EntryStoreBlockingStub storage;

  /**
   * Calls {@code each} with the session's entries in recorded order (only {@code ids} when not
   * empty), at most {@code max}; returns how many there were.
   */
  public int forEach(String sessionId, Collection<String> ids, int max, Consumer<EntryView> each) {
    long after = 0;
    int seen = 0;
    while (seen < max) {
      int want = Math.min(PAGE, max - seen);
      List<EntryView> page = new ArrayList<>();
      stub()
          .listEntries(
              ListEntriesRequest.newBuilder()
                  .setSessionId(sessionId)
                  .addAllEntryIds(ids)
                  .setLimit(want)
                  .setAfterSequence(after)
                  .build())
          .forEachRemaining(e -> page.add(EntryView.of(e)));
      for (EntryView entry : page) {
        each.accept(entry);
      }
      seen += page.size();
      if (page.size() < want) {
        break;
      }
      after = page.getLast().sequence();
    }
    return seen;
  }

  /** Every entry of the session, up to {@code max}. */
  public List<EntryView> all(String sessionId, int max) {
    List<EntryView> out = new ArrayList<>();
    forEach(sessionId, List.of(), max, out::add);
    return out;
  }

  /** One entry; NOT_FOUND (404) when the session holds no such entry. */
  public EntryView one(String sessionId, String entryId) {
    return EntryView.of(
        stub().getEntry(GetEntryRequest.newBuilder().setSessionId(sessionId).setEntryId(entryId).build()));
  }

  private EntryStoreGrpc.EntryStoreBlockingStub stub() {
    return storage.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }
}
