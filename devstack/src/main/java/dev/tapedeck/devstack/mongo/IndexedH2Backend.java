package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend (documents in one MVStore file) with the query support the
 * embedded stack needs at scale: non-unique indexes serve equality lookups on their first field
 * ({@link SecondaryIndex}), and {@code countDocuments} uses them.
 *
 * <p>Without this, the server answers every query that is not on a unique index by reading and
 * decoding every document of the collection, so listing one session's entries costs as much as
 * the whole store holds.
 */
public final class IndexedH2Backend extends H2Backend {

  /** The backend over an opened store. */
  public IndexedH2Backend(MVStore store) {
    super(store);
  }

  @Override
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    // Called from H2Backend's constructor for the databases already in the file; uses no field of
    // this class.
    return IndexedH2Database.open(databaseName, getMvStore(), getCursorRegistry());
  }
}
