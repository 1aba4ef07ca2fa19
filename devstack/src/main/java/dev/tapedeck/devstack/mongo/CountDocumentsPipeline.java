package dev.tapedeck.devstack.mongo;

import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The aggregation the MongoDB drivers send for {@code countDocuments(filter)}: {@code [{$match:
 * filter}, {$skip: n}?, {$limit: n}?, {$group: {_id: 1, n: {$sum: 1}}}]}.
 *
 * <p>mongo-java-server runs every aggregation over the whole collection, whatever the indexes;
 * recognizing this one lets the server answer it as a count, which uses them. The answer is the
 * one the aggregation gives: one document {@code {_id: 1, n: count}}, or none when nothing
 * matches.
 *
 * @param filter the {@code $match} filter
 * @param skip documents skipped before counting
 * @param limit at most this many are counted; 0 for no limit
 */
record CountDocumentsPipeline(Document filter, int skip, int limit) {

  // Options that change what the aggregation matches or how; with any of them, the server runs it.
  private static final Set<String> PLAIN_OPTIONS =
      Set.of(
          "aggregate", "pipeline", "cursor", "$db", "lsid", "$clusterTime", "txnNumber",
          "autocommit", "$readPreference", "readConcern", "maxTimeMS", "comment", "apiVersion",
          "apiStrict", "apiDeprecationErrors");

  /** The count an {@code aggregate} command asks for, if it is a countDocuments pipeline. */
  static Optional<CountDocumentsPipeline> of(Document aggregateCommand) {
    if (!PLAIN_OPTIONS.containsAll(aggregateCommand.keySet())
        || !(aggregateCommand.get("aggregate") instanceof String)
        || !(aggregateCommand.get("pipeline") instanceof List<?> stages)
        || stages.size() < 2
        || stages.size() > 4) {
      return Optional.empty();
    }
    Object first = stage(stages.getFirst(), "$match");
    Object last = stage(stages.getLast(), "$group");
    if (!(first instanceof Document filter) || !isCountGroup(last)) {
      return Optional.empty();
    }
    int skip = 0;
    int limit = 0;
    for (Object middle : stages.subList(1, stages.size() - 1)) {
      if (stage(middle, "$skip") instanceof Number n && skip == 0 && limit == 0) {
        skip = Math.toIntExact(n.longValue());
      } else if (stage(middle, "$limit") instanceof Number n && limit == 0) {
        limit = Math.toIntExact(n.longValue());
      } else {
        return Optional.empty();
      }
    }
    if (skip < 0 || limit < 0) {
      return Optional.empty();
    }
    return Optional.of(new CountDocumentsPipeline(filter, skip, limit));
  }

  /** The {@code cursor} reply the aggregation would give for {@code count} matches. */
  static Document reply(String namespace, int count) {
    List<Document> batch = count == 0 ? List.of() : List.of(new Document("_id", 1).append("n", count));
    Document cursor =
        new Document("id", 0L).append("ns", namespace).append("firstBatch", batch);
    return new Document("cursor", cursor).append("ok", 1.0);
  }

  private static Object stage(Object stage, String operator) {
    return stage instanceof Document d && d.size() == 1 ? d.get(operator) : null;
  }

  private static boolean isCountGroup(Object group) {
    return group instanceof Document g
        && g.size() == 2
        && g.get("_id") instanceof Number id
        && id.intValue() == 1
        && g.get("n") instanceof Document sum
        && sum.size() == 1
        && sum.get("$sum") instanceof Number one
        && one.intValue() == 1;
  }
}
