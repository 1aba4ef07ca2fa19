package dev.tapedeck.converter.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.converter.export.har.HarDocumentWriter;
import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.converter.v1.ExportChunk;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import dev.tapedeck.testkit.HarSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class ChunkedExportTest {

  private static final int ENTRIES = 1_000;
  private static final int CHUNK_SIZE = 64 * 1024;
  private static final ExportSession SESSION = new ExportSession("s-1", "big session", "test");

  /** Makes entries with 2 KiB response bodies one at a time, and counts how many were taken. */
  static final class GeneratedEntries implements Iterator<StoredEntry> {
    int taken;

    @Override
    public boolean hasNext() {
      return taken < ENTRIES;
    }

    @Override
    public StoredEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      taken++;
      String body = ("entry " + taken + " ").repeat(300).substring(0, 2048);
      return TestExchanges.stored(
          TestExchanges.exchange("e-" + taken)
              .setRequest(TestExchanges.getRequest("http://www.example.test/items/" + taken))
              .setResponse(
                  CapturedResponse.newBuilder()
                      .setStatusCode(200)
                      .setStatusText("OK")
                      .setHttpVersion("HTTP/1.1")
                      .setBody(TestExchanges.text(body, "text/plain")))
              .build(),
          taken);
    }
  }

  private static ChunkedExport export(Iterator<StoredEntry> entries, int chunkSize) {
    return new ChunkedExport(
        entries,
        out -> ExportFormat.HAR.writer(out, SESSION),
        HarDocumentWriter.CONTENT_TYPE,
        SESSION.fileName(HarDocumentWriter.EXTENSION),
        chunkSize);
  }

  @Test
  void emitsBoundedChunksLazilyWhoseConcatenationIsTheDocument() throws IOException {
    GeneratedEntries entries = new GeneratedEntries();
    ChunkedExport export = export(entries, CHUNK_SIZE);
    ByteArrayOutputStream document = new ByteArrayOutputStream();
    int chunks = 0;
    int mostEntriesAheadOfOutput = 0;

    while (export.hasNext()) {
      ExportChunk chunk = export.next();
      if (chunks == 0) {
        assertThat(chunk.getContentType()).isEqualTo("application/json");
        assertThat(chunk.getFileName()).isEqualTo("big session.har");
      } else {
        assertThat(chunk.getContentType()).isEmpty();
        assertThat(chunk.getFileName()).isEmpty();
      }
      assertThat(chunk.getData().size()).isLessThanOrEqualTo(CHUNK_SIZE).isPositive();
      // Entries taken beyond what the bytes handed out so far could hold: the writer's look-ahead.
      int entriesInOutput = (document.size() + chunk.getData().size()) / 2048;
      mostEntriesAheadOfOutput =
          Math.max(mostEntriesAheadOfOutput, entries.taken - entriesInOutput);
      chunk.getData().writeTo(document);
      chunks++;
    }

    assertThat(chunks).isGreaterThan(ENTRIES * 2048 / CHUNK_SIZE);
    assertThat(mostEntriesAheadOfOutput).isLessThan(CHUNK_SIZE / 2048 + 2);
    String whole = document.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(whole).isEqualTo(unchunked());
    assertThat(HarSchema.validate(whole)).isEmpty();
    assertThat(new ObjectMapper().readTree(whole).at("/log/entries")).hasSize(ENTRIES);
  }

  @Test
  void takesNoMoreEntriesThanTheFirstChunkNeeds() {
    GeneratedEntries entries = new GeneratedEntries();
    ChunkedExport export = export(entries, CHUNK_SIZE);

    export.next();

    assertThat(entries.taken).isLessThan(CHUNK_SIZE / 2048 + 2);
  }

  @Test
  void cutsAnEntryLargerThanAChunkIntoSeveralChunks() {
    ChunkedExport export = export(new GeneratedEntries(), 1000);

    assertThat(export.next().getData().size()).isEqualTo(1000);
    assertThat(export.next().getData().size()).isEqualTo(1000);
  }

  private static String unchunked() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DocumentWriter writer = ExportFormat.HAR.writer(out, SESSION);
    GeneratedEntries entries = new GeneratedEntries();
    while (entries.hasNext()) {
      writer.write(entries.next());
    }
    writer.finish();
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
