package dev.tapedeck.storage.entry;

import static dev.tapedeck.storage.entry.EntryDocuments.ENTRY_TYPE;
import static dev.tapedeck.storage.entry.EntryDocuments.EXCHANGE;
import static dev.tapedeck.storage.entry.EntryDocuments.HOST;
import static dev.tapedeck.storage.entry.EntryDocuments.ID;
import static dev.tapedeck.storage.entry.EntryDocuments.METHOD;
import static dev.tapedeck.storage.entry.EntryDocuments.NOTES;
import static dev.tapedeck.storage.entry.EntryDocuments.SEQ;
import static dev.tapedeck.storage.entry.EntryDocuments.SESSION_ID;
import static dev.tapedeck.storage.entry.EntryDocuments.STARTED_AT;
import static dev.tapedeck.storage.entry.EntryDocuments.STATUS;
import static dev.tapedeck.storage.entry.EntryDocuments.TAGS;
import static dev.tapedeck.storage.entry.EntryDocuments.TEXT;
import static dev.tapedeck.storage.entry.EntryDocuments.URL;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.tapedeck.policy.Glob;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import org.bson.types.Binary;

/**
 * The {@code entries} collection: one document per captured exchange, keyed by its entry id.
 *
 * <p>Sticks to plain CRUD, indexes, counts and sorted finds, which both MongoDB and the
 * MongoDB-wire server of the embedded stack support.
 */
public final class EntryRepository {

  /** Name of the collection holding the entries. */
  public static final String COLLECTION = "entries";

  // Documents carry whole bodies, so fetch few at a time to keep a listing's memory small.
  private static final int CURSOR_BATCH_SIZE = 32;

  /** Bodies larger than this go to GridFS by default (256 KiB). */
  public static final int DEFAULT_BODY_OFFLOAD_BYTES = 256 * 1024;

  private final MongoCollection<Document> entries;
  private final MongoCollection<RawBsonDocument> rawEntries;
  private final BodyStore bodies;

  /** Entries kept in {@code database}, bodies above the default threshold in GridFS. */
  public EntryRepository(MongoDatabase database) {
    this(database, DEFAULT_BODY_OFFLOAD_BYTES);
  }

  /** Entries kept in {@code database}, bodies above {@code bodyOffloadBytes} in GridFS. */
  public EntryRepository(MongoDatabase database, int bodyOffloadBytes) {
    this.entries = database.getCollection(COLLECTION);
    this.rawEntries = entries.withDocumentClass(RawBsonDocument.class);
    this.bodies = new BodyStore(database, bodyOffloadBytes);
  }

  /**
   * The document for {@code exchange}: searchable text from the whole exchange, large bodies in
   * GridFS.
   */
  public Document document(CapturedExchange exchange, long seq, Instant storedAt) {
    Document document = EntryDocuments.toDocument(exchange, seq, storedAt);
    CapturedExchange light = bodies.offload(exchange);
    if (light != exchange) {
      document.put(EXCHANGE, new Binary(light.toByteArray()));
    }
    return document;
  }

  /**
   * {@link #document} encoded as BSON now, on the caller's thread, so that writing it is a copy of
   * bytes (the driver encodes a plain {@link Document} on the one thread that writes the batch).
   */
  public RawBsonDocument encoded(CapturedExchange exchange, long seq, Instant storedAt) {
    return encoded(exchange, (ByteString) null, seq, storedAt);
  }

  /**
   * {@link #encoded(CapturedExchange, long, Instant)}, given the exchange's protobuf bytes as they
   * were received ({@code bytes}, which it was parsed from; null when there are none), so they are
   * stored as they are instead of encoded again. The document is written directly ({@link
   * EntryDocuments#encode}): the same BSON as {@link #document} through the driver's codec.
   */
  public RawBsonDocument encoded(
      CapturedExchange exchange, byte[] bytes, long seq, Instant storedAt) {
    return encoded(exchange, bytes == null ? null : UnsafeByteOperations.unsafeWrap(bytes), seq, storedAt);
  }

  /** {@link #encoded(CapturedExchange, byte[], long, Instant)} with the bytes as a ByteString. */
  public RawBsonDocument encoded(
      CapturedExchange exchange, ByteString bytes, long seq, Instant storedAt) {
    CapturedExchange light = bodies.offload(exchange);
    ByteString stored =
        light != exchange ? light.toByteString() : bytes != null ? bytes : exchange.toByteString();
    return EntryDocuments.encode(exchange, stored, seq, storedAt);
  }

  /** The stored entry a document holds, with its offloaded bodies read back and unpacked. */
  public StoredEntry read(Document document) {
    StoredEntry entry = EntryDocuments.toStoredEntry(document);
    CapturedExchange full = PackedBodies.unpack(bodies.restore(entry.getExchange()));
    return full == entry.getExchange() ? entry : entry.toBuilder().setExchange(full).build();
  }

  /**
   * Creates the indexes the queries use if they are missing: (sessionId, seq) for listings and the
   * cap, (sessionId, startedAt) for search's order and time filters. (The embedded stack's
   * Mongo-wire server uses their first field, sessionId, for equality and $in lookups.)
   */
  public void ensureIndexes() {
    entries.createIndex(Indexes.ascending(SESSION_ID, SEQ));
    entries.createIndex(Indexes.compoundIndex(Indexes.ascending(SESSION_ID), Indexes.descending(STARTED_AT)));
  }

  /** One page of the entries a search selects, newest first, with the count of all matches. */
  public SearchPage search(SearchQuery query) {
    Bson filter = searchFilter(query);
    List<Document> page = new ArrayList<>(query.limit());
    try (MongoCursor<Document> cursor =
        entries
            .find(filter)
            .projection(Projections.exclude(TEXT))
            .sort(Sorts.orderBy(Sorts.descending(STARTED_AT), Sorts.descending(SEQ)))
            .skip(query.offset())
            .limit(query.limit())
            .batchSize(CURSOR_BATCH_SIZE)
            .iterator()) {
      cursor.forEachRemaining(page::add);
    }
    return new SearchPage(page, entries.countDocuments(filter));
  }

  /** A page of search matches and how many match in all. */
  public record SearchPage(List<Document> documents, long total) {}

  private static Bson searchFilter(SearchQuery query) {
    List<Bson> all = new ArrayList<>();
    all.add(Filters.in(SESSION_ID, query.sessionIds()));
    if (!query.text().isBlank()) {
      Pattern literal = Pattern.compile(Pattern.quote(query.text().toLowerCase(Locale.ROOT)));
      Pattern anyCase =
          Pattern.compile(Pattern.quote(query.text()), Pattern.CASE_INSENSITIVE);
      all.add(Filters.or(Filters.regex(URL, anyCase), Filters.regex(TEXT, literal)));
    }
    if (!query.methods().isEmpty()) {
      all.add(Filters.in(METHOD, query.methods()));
    }
    if (query.statusMin() > 0) {
      all.add(Filters.gte(STATUS, query.statusMin()));
    }
    if (query.statusMax() > 0) {
      all.add(Filters.lte(STATUS, query.statusMax()));
    }
    if (!query.host().isBlank()) {
      all.add(Filters.regex(HOST, hostPattern(query.host())));
    }
    if (!query.entryTypes().isEmpty()) {
      all.add(Filters.in(ENTRY_TYPE, query.entryTypes()));
    }
    if (query.from() != null) {
      all.add(Filters.gte(STARTED_AT, Date.from(query.from())));
    }
    if (query.to() != null) {
      all.add(Filters.lt(STARTED_AT, Date.from(query.to())));
    }
    return Filters.and(all);
  }

  /**
   * {@code *.example.com}: the recording filters' glob, without case, as a bounded regex for
   * {@code $regex} ({@link Glob#boundedHostRegex}: checked with RE2/J, at most 253 characters and
   * two {@code *}, anchored, texts over 253 characters refused at once).
   *
   * @throws IllegalArgumentException when the glob is not one (control-service checks it first)
   */
  static Pattern hostPattern(String glob) {
    return Pattern.compile(Glob.boundedHostRegex(glob), Pattern.CASE_INSENSITIVE);
  }


  /**
   * Inserts a new entry document.
   *
   * @return false when an entry with the same id was already there
   */
  public boolean insert(Document entry) {
    try {
      entries.insertOne(entry);
      return true;
    } catch (MongoWriteException e) {
      if (ErrorCategory.fromErrorCode(e.getCode()) == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** Which of these entry ids are stored. */
  public Set<String> existing(Collection<String> entryIds) {
    Set<String> stored = new HashSet<>();
    if (!entryIds.isEmpty()) {
      entries
          .find(Filters.in(ID, entryIds))
          .projection(Projections.include(ID))
          .forEach(d -> stored.add(d.getString(ID)));
    }
    return stored;
  }

  /**
   * Inserts new entry documents in one request, carrying on past ids that are already stored.
   *
   * @return the ids that were already stored (a concurrent writer got there first)
   */
  public Set<String> insertNew(List<RawBsonDocument> documents) {
    if (documents.isEmpty()) {
      return Set.of();
    }
    try {
      rawEntries.insertMany(documents, new InsertManyOptions().ordered(false));
      return Set.of();
    } catch (MongoBulkWriteException e) {
      Set<String> duplicates = new HashSet<>();
      for (BulkWriteError error : e.getWriteErrors()) {
        if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
        duplicates.add(documents.get(error.getIndex()).getString(ID).getValue());
      }
      return duplicates;
    }
  }

  /** The entry with this id, if it is stored. */
  public Optional<Document> find(String entryId) {
    return Optional.ofNullable(entries.find(Filters.eq(ID, entryId)).first());
  }

  /**
   * A cursor over the entries a query selects, in sequence order (or reversed). The caller closes
   * it.
   */
  public MongoCursor<Document> list(EntryQuery query) {
    Bson filter = Filters.eq(SESSION_ID, query.sessionId());
    if (!query.entryIds().isEmpty()) {
      filter = Filters.and(filter, Filters.in(ID, query.entryIds()));
    }
    if (query.afterSequence() > 0) {
      filter =
          Filters.and(
              filter,
              query.newestFirst()
                  ? Filters.lt(SEQ, query.afterSequence())
                  : Filters.gt(SEQ, query.afterSequence()));
    }
    return entries
        .find(filter)
        .sort(query.newestFirst() ? Sorts.descending(SEQ) : Sorts.ascending(SEQ))
        .skip(query.offset())
        .limit(query.limit())
        .batchSize(CURSOR_BATCH_SIZE)
        .iterator();
  }

  /** How many entries a session holds. */
  public long count(String sessionId) {
    return entries.countDocuments(Filters.eq(SESSION_ID, sessionId));
  }

  /**
   * Id and sequence of the session's entries beyond its {@code kept} newest, oldest first: one
   * find along the (sessionId, seq) index, newest first, skipping the kept ones and reading only
   * those two fields. Empty when the session holds no more than {@code kept}.
   */
  public List<EntryRef> beyondNewest(String sessionId, int kept) {
    List<EntryRef> refs = new ArrayList<>();
    try (MongoCursor<Document> cursor =
        entries
            .find(Filters.eq(SESSION_ID, sessionId))
            .projection(Projections.include(ID, SEQ))
            .sort(Sorts.descending(SEQ))
            .skip(kept)
            .batchSize(10_000)
            .iterator()) {
      cursor.forEachRemaining(
          d ->
              refs.add(
                  new EntryRef(sessionId, d.getString(ID), d.get(SEQ, Number.class).longValue())));
    }
    return refs.reversed();
  }

  /**
   * Deletes the session's entries up to sequence {@code seq} in one range delete, {@code
   * {sessionId, seq <= N}}, and the GridFS bodies of {@code refs} (the entries it deletes).
   *
   * @return how many entries were deleted
   */
  public long deleteUpToSequence(String sessionId, long seq, List<EntryRef> refs) {
    long deleted =
        entries
            .deleteMany(Filters.and(Filters.eq(SESSION_ID, sessionId), Filters.lte(SEQ, seq)))
            .getDeletedCount();
    bodies.deleteEntries(sessionId, refs.stream().map(EntryRef::entryId).toList());
    return deleted;
  }

  /** Deletes the entries with these ids; returns how many were deleted. */
  public long delete(List<String> entryIds) {
    if (entryIds.isEmpty()) {
      return 0;
    }
    long deleted = entries.deleteMany(Filters.in(ID, entryIds)).getDeletedCount();
    bodies.deleteEntries(entryIds);
    return deleted;
  }

  /**
   * Sets the tags and/or notes of an entry of a session (a null argument leaves that field);
   * returns the updated document, empty when the session holds no such entry.
   */
  public Optional<Document> annotate(
      String sessionId, String entryId, List<String> tags, String notes) {
    List<Bson> updates = new ArrayList<>();
    if (tags != null) {
      updates.add(Updates.set(TAGS, tags));
    }
    if (notes != null) {
      updates.add(Updates.set(NOTES, notes));
    }
    Bson inSession = Filters.and(Filters.eq(ID, entryId), Filters.eq(SESSION_ID, sessionId));
    if (!updates.isEmpty()
        && entries.updateOne(inSession, Updates.combine(updates)).getMatchedCount() == 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(entries.find(inSession).first());
  }

  /** Deletes one entry of a session; returns whether it was there. */
  public boolean deleteOne(String sessionId, String entryId) {
    boolean deleted =
        entries
                .deleteOne(Filters.and(Filters.eq(ID, entryId), Filters.eq(SESSION_ID, sessionId)))
                .getDeletedCount()
            > 0;
    if (deleted) {
      bodies.deleteEntries(List.of(entryId));
    }
    return deleted;
  }

  /** Deletes every entry of a session; returns how many were deleted. */
  public long deleteSession(String sessionId) {
    long deleted = entries.deleteMany(Filters.eq(SESSION_ID, sessionId)).getDeletedCount();
    bodies.deleteSession(sessionId);
    return deleted;
  }
}
