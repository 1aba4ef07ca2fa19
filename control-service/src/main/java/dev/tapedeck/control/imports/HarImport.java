package dev.tapedeck.control.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.control.imports.HarEntries.BadHarException;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.storage.v1.EntryStore;
import dev.tapedeck.proto.storage.v1.ImportEntriesResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Streams a HAR file's entries into storage as a session's entries: each entry is read, mapped
 * and sent on its own, so the file's size does not matter; an entry that cannot be mapped is
 * reported with its index and the rest go on.
 */
@ApplicationScoped
public class HarImport {
  /** Errors listed in an answer; more are only counted. */
  static final int MAX_LISTED_ERRORS = 100;

  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final ObjectMapper json;
  private final long maxEntryBytes;

  @GrpcClient("storage")
  EntryStore storage;

  public HarImport(
      ObjectMapper json, @ConfigProperty(name = "tapedeck.imports.max-entry-bytes") MemorySize maxEntryBytes) {
    this.json = json;
    this.maxEntryBytes = maxEntryBytes.asLongValue();
  }

  /** One entry that was not imported. */
  public record EntryError(int index, String message) {}

  /** What an import did. */
  public record Outcome(long imported, long duplicates, long evicted, int failed, List<EntryError> errors) {}

  /** A HAR file opened and positioned at its first entry; nothing is imported yet. */
  public final class Opened implements AutoCloseable {
    private final InputStream in;
    private final HarEntries entries;

    private Opened(InputStream in, HarEntries entries) {
      this.in = in;
      this.entries = entries;
    }

    /** Imports every entry into {@code sessionId}, in file order. */
    public Outcome into(String sessionId) {
      List<EntryError> errors = new ArrayList<>();
      int[] failed = {0};
      Iterator<CapturedExchange> mapped = new MappedEntries(entries, sessionId, (i, m) -> {
        failed[0]++;
        if (errors.size() < MAX_LISTED_ERRORS) {
          errors.add(new EntryError(i, m));
        }
      });
      ImportEntriesResponse response =
          storage.importEntries(Multi.createFrom().iterable(() -> mapped)).await().atMost(TIMEOUT);
      return new Outcome(
          response.getStored(), response.getDuplicates(), response.getEvicted(), failed[0], List.copyOf(errors));
    }

    @Override
    public void close() {
      entries.close();
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Opens {@code file} as a HAR.
   *
   * @throws BadHarException if it is not a HAR file at all
   */
  public Opened open(Path file) {
    InputStream in = inputOf(file);
    try {
      return new Opened(in, new HarEntries(json, in, maxEntryBytes));
    } catch (RuntimeException e) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the parse error is what matters
      }
      throw e;
    }
  }

  /**
   * How many entries {@code file} holds, counted in one streaming pass that keeps none of them.
   *
   * @throws BadHarException if it is not a HAR file at all
   */
  public long count(Path file) {
    try (InputStream in = inputOf(file); HarEntries entries = new HarEntries(json, in, Long.MAX_VALUE)) {
      return entries.countRemaining();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the uploaded file", e);
    }
  }

  private static InputStream inputOf(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the uploaded file", e);
    }
  }

  /** Receives the index and reason of each entry that could not be imported. */
  @FunctionalInterface
  interface ErrorSink {
    void accept(int index, String message);
  }

  /** The mappable entries, in order; the others (and a file that breaks off) go to the sink. */
  private static final class MappedEntries implements Iterator<CapturedExchange> {
    private final HarEntries entries;
    private final String sessionId;
    private final ErrorSink errors;
    private int index = -1;
    private CapturedExchange next;

    MappedEntries(HarEntries entries, String sessionId, ErrorSink errors) {
      this.entries = entries;
      this.sessionId = sessionId;
      this.errors = errors;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        JsonNode entry;
        try {
          if (!entries.hasNext()) {
            return false;
          }
          entry = entries.next();
        } catch (BadHarException e) {
          errors.accept(index + 1, e.getMessage());
          return false;
        } catch (HarEntries.Oversized e) {
          index++;
          errors.accept(index, e.getMessage());
          continue;
        }
        index++;
        try {
          next = HarExchangeMapper.map(entry, sessionId);
        } catch (IllegalArgumentException e) {
          errors.accept(index, e.getMessage());
        }
      }
      return true;
    }

    @Override
    public CapturedExchange next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      CapturedExchange current = next;
      next = null;
      return current;
    }
  }
}
