package dev.tapedeck.control.export;

import dev.tapedeck.control.session.Session;
import dev.tapedeck.proto.converter.v1.ConverterGrpc;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.converter.v1.ExportRequest;
import io.grpc.Context;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
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

  public Response export(Session session, ExportRequestBody body) {
    ExportRequest request =
        ExportRequest.newBuilder()
            .setSessionId(session.id())
            .setSessionName(session.config().name())
            .setFormat(body == null || body.format() == null ? "har" : body.format())
            .addAllEntryIds(body == null || body.entryIds() == null ? List.of() : body.entryIds())
            .build();
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

  private static String safe(String fileName) {
    return fileName.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
