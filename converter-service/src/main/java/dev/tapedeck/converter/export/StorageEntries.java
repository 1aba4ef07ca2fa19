package dev.tapedeck.converter.export;

import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import dev.tapedeck.proto.storage.v1.ListEntriesRequest;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import io.grpc.Context;
import java.util.Iterator;

/**
 * A session's entries read from storage-service's {@code ListEntries} stream with the blocking
 * stub, whose iterator asks for the next message only when the previous one was taken: storage
 * sends no faster than the export is written, and at most a message or two wait here.
 *
 * <p>Closing it before the end cancels the call.
 */
final class StorageEntries implements Iterator<StoredEntry>, AutoCloseable {

  private final Context.CancellableContext context;
  private final Iterator<StoredEntry> entries;

  private StorageEntries(Context.CancellableContext context, Iterator<StoredEntry> entries) {
    this.context = context;
    this.entries = entries;
  }

  /** Starts the {@code ListEntries} call. Call on a thread that may block. */
  static StorageEntries open(
      EntryStoreGrpc.EntryStoreBlockingStub storage, ListEntriesRequest request) {
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      return new StorageEntries(context, storage.listEntries(request));
    } finally {
      context.detach(previous);
    }
  }

  @Override
  public boolean hasNext() {
    return entries.hasNext();
  }

  @Override
  public StoredEntry next() {
    return entries.next();
  }

  @Override
  public void close() {
    context.cancel(null);
  }
}
