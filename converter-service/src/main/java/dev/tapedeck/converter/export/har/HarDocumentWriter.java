package dev.tapedeck.converter.export.har;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sstoehr.harreader.model.HarCreatorBrowser;
import de.sstoehr.harreader.model.HarPage;
import dev.tapedeck.converter.export.DocumentWriter;
import dev.tapedeck.converter.export.ExportSession;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a HAR 1.2 document incrementally with a Jackson {@link JsonGenerator}: the head of {@code
 * log}, then each entry as it comes (mapped to the har-reader model and serialized onto the
 * generator), then the end.
 *
 * <p>The session is the document's one page; its start is the first entry's, so the head is written
 * when the first entry arrives (or, for an empty session, at the end, with no page).
 */
public final class HarDocumentWriter implements DocumentWriter {

  /** The media type of HAR files (JSON; HAR has no registered type of its own). */
  public static final String CONTENT_TYPE = "application/json";

  /** The file extension of HAR files. */
  public static final String EXTENSION = ".har";

  private static final ObjectMapper MAPPER = HarJson.newMapper();

  private final JsonGenerator json;
  private final ExportSession session;
  private boolean headWritten;

  /** A writer of {@code session}'s HAR onto {@code out}, which it does not close. */
  public HarDocumentWriter(OutputStream out, ExportSession session) throws IOException {
    this.json = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
    this.session = session;
  }

  @Override
  public void write(StoredEntry entry) throws IOException {
    if (!headWritten) {
      writeHead(entry);
    }
    MAPPER.writeValue(json, HarEntryMapper.map(entry, session.sessionId()));
    // Hand the entry's bytes to the stream now, so chunks fill as entries are written.
    json.flush();
  }

  @Override
  public void finish() throws IOException {
    if (!headWritten) {
      writeHead(null);
    }
    json.writeEndArray(); // entries
    json.writeEndObject(); // log
    json.writeEndObject();
    json.close();
  }

  private void writeHead(StoredEntry first) throws IOException {
    json.writeStartObject();
    json.writeObjectFieldStart("log");
    json.writeStringField("version", "1.2");
    json.writeFieldName("creator");
    MAPPER.writeValue(json, creator());
    json.writeArrayFieldStart("pages");
    if (first != null) {
      MAPPER.writeValue(json, page(first));
    }
    json.writeEndArray();
    json.writeArrayFieldStart("entries");
    headWritten = true;
  }

  private HarCreatorBrowser creator() {
    HarCreatorBrowser creator = new HarCreatorBrowser();
    creator.setName("Tapedeck");
    creator.setVersion(session.creatorVersion());
    return creator;
  }

  private HarPage page(StoredEntry first) {
    HarPage page = new HarPage();
    page.setId(session.sessionId());
    page.setTitle(session.title());
    page.setStartedDateTime(HarEntryMapper.startedDateTime(first.getExchange()));
    return page;
  }
}
