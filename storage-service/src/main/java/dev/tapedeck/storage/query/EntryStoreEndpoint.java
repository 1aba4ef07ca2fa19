package dev.tapedeck.storage.query;

import dev.tapedeck.policy.Glob;
import dev.tapedeck.proto.storage.v1.AnnotateEntryRequest;
import dev.tapedeck.proto.storage.v1.DeleteEntryRequest;
import dev.tapedeck.proto.storage.v1.DeleteEntryResponse;
import dev.tapedeck.storage.events.EntryEventPublisher;
import dev.tapedeck.storage.ingest.BatchIngestor;
import dev.tapedeck.storage.events.EntryEvents;
import com.mongodb.client.MongoCursor;
import dev.tapedeck.proto.storage.v1.DeleteSessionEntriesRequest;
import dev.tapedeck.proto.storage.v1.DeleteSessionEntriesResponse;
import dev.tapedeck.proto.storage.v1.EntryStore;
import dev.tapedeck.proto.storage.v1.GetEntryRequest;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.storage.v1.ImportEntriesResponse;
import dev.tapedeck.proto.storage.v1.ListEntriesRequest;
import dev.tapedeck.proto.storage.v1.SearchEntriesRequest;
import dev.tapedeck.proto.storage.v1.SearchEntriesResponse;
import dev.tapedeck.proto.storage.v1.SessionStatsRequest;
import dev.tapedeck.proto.storage.v1.SessionStatsResponse;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import dev.tapedeck.storage.entry.EntryDocuments;
import dev.tapedeck.storage.entry.EntryQuery;
import dev.tapedeck.storage.entry.EntryRepository;
import dev.tapedeck.storage.entry.SearchQuery;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import dev.tapedeck.proto.storage.v1.AwaitIngestionRequest;
import dev.tapedeck.proto.storage.v1.AwaitIngestionResponse;
import dev.tapedeck.storage.config.StorageConfig;
import dev.tapedeck.storage.ingest.IngestionBarrier;
import dev.tapedeck.storage.kafka.KafkaClients;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import org.bson.Document;

/**
 * The {@code tapedeck.storage.v1.EntryStore} gRPC service, served on the HTTP port.
 *
 * <p>Statuses: INVALID_ARGUMENT for a missing session or entry id or a negative offset or limit,
 * NOT_FOUND for an entry that is not stored in the given session, UNAVAILABLE while MongoDB (or,
 * for an ingestion wait, Kafka) cannot be reached.
 */
@GrpcService
public class EntryStoreEndpoint implements EntryStore {

  /** The longest one ingestion wait may take: it holds a worker thread meanwhile. */
  static final Duration MAX_INGESTION_WAIT = Duration.ofMinutes(5);

  private final EntryRepository repository;
  private final EntryEventPublisher events;
  private final BatchIngestor importer;

  private final KafkaClients kafka;
  private final StorageConfig config;

  @Inject
  EntryStoreEndpoint(
      EntryRepository repository,
      EntryEventPublisher events,
      BatchIngestor importer,
      KafkaClients kafka,
      StorageConfig config) {
    this.kafka = kafka;
    this.config = config;
    this.importer = importer;
    this.repository = repository;
    this.events = events;
  }

  @Override
  @Blocking
  public Uni<StoredEntry> annotateEntry(AnnotateEntryRequest request) {
    if (request.getSessionId().isEmpty() || request.getEntryId().isEmpty()) {
      return Uni.createFrom()
          .failure(GrpcStatuses.invalidArgument("session_id and entry_id are required"));
    }
    return Uni.createFrom()
        .item(
            () -> {
              StoredEntry entry =
                  repository
                      .annotate(
                          request.getSessionId(),
                          request.getEntryId(),
                          request.getSetTags() ? request.getTagsList() : null,
                          request.hasNotes() ? request.getNotes() : null)
                      .map(repository::read)
                      .orElseThrow(() -> noSuchEntry(request.getSessionId(), request.getEntryId()));
              events.publish(EntryEvents.annotated(entry, nowMicros()));
              return entry;
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  @Override
  @Blocking
  public Uni<DeleteEntryResponse> deleteEntry(DeleteEntryRequest request) {
    if (request.getSessionId().isEmpty() || request.getEntryId().isEmpty()) {
      return Uni.createFrom()
          .failure(GrpcStatuses.invalidArgument("session_id and entry_id are required"));
    }
    return Uni.createFrom()
        .item(
            () -> {
              if (!repository.deleteOne(request.getSessionId(), request.getEntryId())) {
                throw noSuchEntry(request.getSessionId(), request.getEntryId());
              }
              events.publish(
                  EntryEvents.deleted(request.getSessionId(), request.getEntryId(), nowMicros()));
              return DeleteEntryResponse.newBuilder().setDeleted(true).build();
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  @Override
  @Blocking
  public Uni<AwaitIngestionResponse> awaitIngestion(AwaitIngestionRequest request) {
    if (request.getSessionId().isEmpty()) {
      return Uni.createFrom().failure(GrpcStatuses.invalidArgument("session_id is required"));
    }
    if (request.getTimeoutMillis() < 0 || request.getTimeoutMillis() > MAX_INGESTION_WAIT.toMillis()) {
      return Uni.createFrom()
          .failure(
              GrpcStatuses.invalidArgument(
                  "timeout_millis must be from 0 to " + MAX_INGESTION_WAIT.toMillis()));
    }
    return Uni.createFrom()
        .item(
            () -> {
              IngestionBarrier barrier =
                  new IngestionBarrier(
                      kafka.admin(), config.kafka().exchangesTopic(), config.kafka().consumerGroup());
              try {
                IngestionBarrier.Progress progress =
                    barrier.await(
                        request.getSessionId(), Duration.ofMillis(request.getTimeoutMillis()));
                return AwaitIngestionResponse.newBuilder()
                    .setCaughtUp(progress.caughtUp())
                    .setPendingRecords(progress.pendingRecords())
                    .build();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
              }
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  private static RuntimeException noSuchEntry(String sessionId, String entryId) {
    return GrpcStatuses.notFound("no entry " + entryId + " in session " + sessionId);
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }

  /**
   * Streams the entries from a MongoDB cursor on a worker thread, one message per document as the
   * cursor yields it, and closes the cursor when the stream ends or the client cancels.
   */
  @Override
  public Multi<StoredEntry> listEntries(ListEntriesRequest request) {
    if (request.getSessionId().isEmpty()) {
      return Multi.createFrom().failure(GrpcStatuses.invalidArgument("session_id is required"));
    }
    if (request.getOffset() < 0 || request.getLimit() < 0 || request.getAfterSequence() < 0) {
      return Multi.createFrom()
          .failure(
              GrpcStatuses.invalidArgument(
                  "offset, limit and after_sequence must not be negative"));
    }
    EntryQuery query =
        new EntryQuery(
            request.getSessionId(),
            request.getOffset(),
            request.getLimit(),
            request.getNewestFirst(),
            request.getEntryIdsList(),
            request.getAfterSequence());
    return Multi.createFrom()
        .resource(
            () -> repository.list(query),
            cursor -> Multi.createFrom().iterable(() -> cursor).map(repository::read))
        .withFinalizer((MongoCursor<Document> cursor) -> cursor.close())
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  @Override
  @Blocking
  public Uni<StoredEntry> getEntry(GetEntryRequest request) {
    if (request.getEntryId().isEmpty()) {
      return Uni.createFrom().failure(GrpcStatuses.invalidArgument("entry_id is required"));
    }
    return Uni.createFrom()
        .item(
            () -> {
              Document entry =
                  repository
                      .find(request.getEntryId())
                      .filter(
                          d ->
                              request.getSessionId().equals(d.getString(EntryDocuments.SESSION_ID)))
                      .orElseThrow(
                          () -> noSuchEntry(request.getSessionId(), request.getEntryId()));
              return repository.read(entry);
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  @Override
  @Blocking
  public Uni<SessionStatsResponse> sessionStats(SessionStatsRequest request) {
    return Uni.createFrom()
        .item(
            () -> {
              SessionStatsResponse.Builder stats = SessionStatsResponse.newBuilder();
              for (String sessionId : new LinkedHashSet<>(request.getSessionIdsList())) {
                long count = repository.count(sessionId);
                if (count > 0) {
                  stats.putEntryCounts(sessionId, count);
                }
              }
              return stats.build();
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  @Override
  @Blocking
  public Uni<DeleteSessionEntriesResponse> deleteSessionEntries(
      DeleteSessionEntriesRequest request) {
    if (request.getSessionId().isEmpty()) {
      return Uni.createFrom().failure(GrpcStatuses.invalidArgument("session_id is required"));
    }
    return Uni.createFrom()
        .item(
            () ->
                DeleteSessionEntriesResponse.newBuilder()
                    .setDeleted(repository.deleteSession(request.getSessionId()))
                    .build())
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  /** The most entries one search page may hold. */
  static final int MAX_SEARCH_LIMIT = 500;

  @Override
  @Blocking
  public Uni<SearchEntriesResponse> searchEntries(SearchEntriesRequest request) {
    if (request.getSessionIdsCount() == 0) {
      return Uni.createFrom().failure(GrpcStatuses.invalidArgument("session_ids is required"));
    }
    if (request.getOffset() < 0 || request.getLimit() < 1 || request.getLimit() > MAX_SEARCH_LIMIT) {
      return Uni.createFrom()
          .failure(
              GrpcStatuses.invalidArgument(
                  "offset must not be negative and limit must be 1 to " + MAX_SEARCH_LIMIT));
    }
    if (!request.getHost().isBlank()) {
      try {
        Glob.boundedHostRegex(request.getHost().trim());
      } catch (IllegalArgumentException e) {
        return Uni.createFrom().failure(GrpcStatuses.invalidArgument("host " + e.getMessage()));
      }
    }
    SearchQuery query =
        new SearchQuery(
            request.getSessionIdsList(),
            request.getQ(),
            request.getMethodsList(),
            request.getStatusMin(),
            request.getStatusMax(),
            request.getHost(),
            request.getEntryTypesList(),
            request.getFromUnixMicros() == 0 ? null : micros(request.getFromUnixMicros()),
            request.getToUnixMicros() == 0 ? null : micros(request.getToUnixMicros()),
            request.getOffset(),
            request.getLimit());
    return Uni.createFrom()
        .item(
            () -> {
              EntryRepository.SearchPage page = repository.search(query);
              SearchEntriesResponse.Builder response =
                  SearchEntriesResponse.newBuilder().setTotal(page.total());
              page.documents().forEach(d -> response.addEntries(repository.read(d)));
              return response.build();
            })
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }

  private static Instant micros(long unixMicros) {
    return Instant.EPOCH.plus(unixMicros, ChronoUnit.MICROS);
  }

  /** Entries written per MongoDB round of an import. */
  private static final int IMPORT_BATCH = 100;

  @Override
  public Uni<ImportEntriesResponse> importEntries(Multi<CapturedExchange> request) {
    return request
        .onItem()
        .invoke(GrpcStatuses::requireImportable)
        .group()
        .intoLists()
        .of(IMPORT_BATCH)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(importer::ingestImported)
        .collect()
        .in(
            ImportEntriesResponse::newBuilder,
            (response, outcome) ->
                response
                    .setStored(response.getStored() + outcome.stored().size())
                    .setDuplicates(response.getDuplicates() + outcome.duplicates())
                    .setEvicted(response.getEvicted() + outcome.evicted().size()))
        .map(ImportEntriesResponse.Builder::build)
        .onFailure()
        .transform(GrpcStatuses::toStatus);
  }
}
