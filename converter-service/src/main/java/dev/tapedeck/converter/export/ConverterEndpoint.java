package dev.tapedeck.converter.export;

import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.convert.ConversionPipeline;
import dev.tapedeck.proto.converter.v1.Converter;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.converter.v1.ExportRequest;
import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import dev.tapedeck.proto.storage.v1.ListEntriesRequest;
import com.google.common.collect.Iterators;
import dev.tapedeck.converter.export.convert.EntryFilter;
import dev.tapedeck.converter.export.script.CorrelatedValues;
import dev.tapedeck.converter.export.script.RequestDocumentWriter;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@code tapedeck.converter.v1.Converter} gRPC service, served on the HTTP port.
 *
 * <p>{@code Export} streams the session's entries from storage-service and writes the document as
 * they arrive, through the conversion pipeline (filters, redaction), cut into chunks, on a worker
 * thread. Statuses: INVALID_ARGUMENT for an unknown format, a missing session id or invalid options
 * (every invalid field named, {@code options.statuses[0]: ...}); a failure of the storage call
 * keeps its status (UNAVAILABLE when storage-service is down); anything else is INTERNAL.
 */
@GrpcService
public class ConverterEndpoint implements Converter {

  private static final Logger LOG = Logger.getLogger(ConverterEndpoint.class);

  private final EntryStoreGrpc.EntryStoreBlockingStub storage;
  private final int chunkSize;
  private final String version;

  @Inject
  ConverterEndpoint(
      @GrpcClient("storage") EntryStoreGrpc.EntryStoreBlockingStub storage,
      @ConfigProperty(name = "tapedeck.export.chunk-size-bytes", defaultValue = "65536")
          int chunkSize,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
    this.storage = storage;
    this.chunkSize = chunkSize;
    this.version = version;
  }

  @Override
  public Multi<ExportChunk> export(ExportRequest request) {
    ExportFormat format = ExportFormat.named(request.getFormat()).orElse(null);
    if (format == null) {
      return invalid(
          "format: unknown export format \""
              + request.getFormat()
              + "\"; supported: "
              + ExportFormat.supported());
    }
    if (request.getSessionId().isEmpty()) {
      return invalid("session_id is required");
    }
    List<String> errors = new ArrayList<>();
    ConversionOptions options = ConversionOptions.parse(request.getOptions(), errors);
    if (!errors.isEmpty()) {
      return invalid(String.join("; ", errors));
    }
    ConversionPipeline pipeline = new ConversionPipeline(options);
    ExportSession session =
        new ExportSession(request.getSessionId(), request.getSessionName(), version);
    ListEntriesRequest list =
        ListEntriesRequest.newBuilder()
            .setSessionId(request.getSessionId())
            .addAllEntryIds(request.getEntryIdsList())
            .build();
    return Multi.createFrom()
        .resource(
            () -> StorageEntries.open(storage, list),
            entries ->
                Multi.createFrom()
                    .iterable(
                        () ->
                            new ChunkedExport(
                                pipeline.apply(entries),
                                out -> withCorrelations(format.writer(out, session, options), format, list, options),
                                format.contentType(),
                                session.fileName(format.extension()),
                                chunkSize)))
        .withFinalizer((StorageEntries entries) -> entries.close())
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onFailure()
        .transform(failure -> toStatus(request, failure));
  }

  /**
   * Script formats (k6, node:test, Postman) learn the session's correlations first, in a pass of
   * their own over the entries as recorded (before redaction, filtered as the export is), so they
   * extract each value from its answer and send the variable in the later requests.
   */
  private DocumentWriter withCorrelations(
      DocumentWriter writer, ExportFormat format, ListEntriesRequest list, ConversionOptions options) {
    if (writer instanceof RequestDocumentWriter<?> scripted && CORRELATED.contains(format)) {
      EntryFilter filter = new EntryFilter(options);
      try (StorageEntries entries = StorageEntries.open(storage, list)) {
        Iterator<StoredEntry> filtered =
            Iterators.filter(entries, filter::test);
        scripted.useCorrelations(CorrelatedValues.of(filtered));
      }
    }
    return writer;
  }

  private static final Set<ExportFormat> CORRELATED =
      EnumSet.of(ExportFormat.K6, ExportFormat.NODE_TEST, ExportFormat.POSTMAN);

  private static Multi<ExportChunk> invalid(String message) {
    return Multi.createFrom()
        .failure(Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException());
  }

  private static Throwable toStatus(ExportRequest request, Throwable failure) {
    if (failure instanceof StatusRuntimeException e) {
      Status status = e.getStatus();
      String cause =
          status.getDescription() == null ? status.getCode().name() : status.getDescription();
      return status.withDescription("storage-service: " + cause).withCause(e).asRuntimeException();
    }
    LOG.errorf(failure, "export of session %s failed", request.getSessionId());
    return Status.INTERNAL
        .withDescription("export failed: " + failure.getMessage())
        .withCause(failure)
        .asRuntimeException();
  }
}
