package dev.tapedeck.control.export;

import dev.tapedeck.control.entries.IngestionWait;
import dev.tapedeck.control.session.Session;
import dev.tapedeck.proto.converter.v1.ConversionOptions;
import dev.tapedeck.proto.converter.v1.ConverterGrpc;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.converter.v1.ExportRequest;
import io.grpc.Context;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.ByteArrayOutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Streams an export file from converter-service to the HTTP client chunk by chunk, so a session
 * of any size passes through in bounded memory.
 */
@ApplicationScoped
public class Exports {
  @GrpcClient("converter")
  ConverterGrpc.ConverterBlockingStub converter;

  private final IngestionWait ingestion;

  Exports(IngestionWait ingestion) {
    this.ingestion = ingestion;
  }

  /**
   * Streams {@code session} as {@code format} (null: the body's format, HAR by default) with the
   * body's entries and options, once the captures published so far are stored. Bad options are
   * the converter's 400.
   */
  public Response export(Session session, String format, ExportRequestBody given) {
    ExportRequest request = request(session, format, given);
    ingestion.untilStored(session.id());
    Context.CancellableContext call = Context.current().withCancellation();
    Iterator<ExportChunk> chunks;
    ExportChunk first;
    Context previous = call.attach();
    try {
      chunks = converter.withDeadlineAfter(10, TimeUnit.MINUTES).export(request);
      // The first chunk is read before answering, so converter errors become proper statuses.
      first = chunks.next();
    } catch (RuntimeException e) {
      call.cancel(e);
      throw e;
    } finally {
      call.detach(previous);
    }
    StreamingOutput stream =
        out -> {
          try {
            out.write(first.getData().toByteArray());
            while (chunks.hasNext()) {
              out.write(chunks.next().getData().toByteArray());
            }
          } finally {
            call.cancel(null);
          }
        };
    return Response.ok(stream, first.getContentType())
        .header("Content-Disposition", "attachment; filename=\"" + safe(first.getFileName()) + "\"")
        .build();
  }

  /**
   * The whole file, in memory: for documents other parts of control-service read (a session's
   * mocks), never for downloads.
   */
  public byte[] render(Session session, String format, ExportRequestBody body) {
    ingestion.untilStored(session.id());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    converter
        .withDeadlineAfter(5, TimeUnit.MINUTES)
        .export(request(session, format, body))
        .forEachRemaining(chunk -> out.writeBytes(chunk.getData().toByteArray()));
    return out.toByteArray();
  }

  private static ExportRequest request(Session session, String format, ExportRequestBody given) {
    ExportRequestBody body = given == null ? ExportRequestBody.empty() : given;
    String chosen = format != null ? format : body.format() == null ? "har" : body.format();
    return ExportRequest.newBuilder()
        .setSessionId(session.id())
        .setSessionName(session.config().name())
        .setFormat(chosen)
        .addAllEntryIds(orEmpty(body.entryIds()))
        .setOptions(options(body))
        .build();
  }

  private static ConversionOptions options(ExportRequestBody body) {
    ConversionOptions.Builder options =
        ConversionOptions.newBuilder()
            .setSmartMatch(Boolean.TRUE.equals(body.smartMatch()))
            .setNoRedact(Boolean.TRUE.equals(body.noRedact()))
            .addAllMethods(orEmpty(body.methods()))
            .addAllStatuses(orEmpty(body.statuses()))
            .addAllIncludeHosts(orEmpty(body.includeHosts()))
            .addAllPathFilters(orEmpty(body.pathFilters()))
            .addAllRedactJsonPaths(orEmpty(body.redactJsonPaths()));
    if (body.duplicates() != null) {
      options.setDuplicates(body.duplicates());
    }
    if (body.collectionName() != null) {
      options.setCollectionName(body.collectionName());
    }
    if (body.protocol() != null) {
      options.setProtocol(body.protocol());
    }
    if (body.baseUrl() != null) {
      options.setBaseUrl(body.baseUrl());
    }
    return options.build();
  }

  private static List<String> orEmpty(List<String> values) {
    return values == null ? List.of() : values;
  }

  private static String safe(String fileName) {
    return fileName.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
