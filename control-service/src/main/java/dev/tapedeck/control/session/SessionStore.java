package dev.tapedeck.control.session;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import dev.tapedeck.control.policy.PolicyJson;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sessions in MongoDB (collection {@code sessions}), so they survive a control-plane restart. */
@ApplicationScoped
public class SessionStore {
  private final MongoCollection<Document> sessions;

  public SessionStore(
      MongoClient mongo, @ConfigProperty(name = "quarkus.mongodb.database") String database) {
    this.sessions = mongo.getDatabase(database).getCollection("sessions");
  }

  public void save(Session session) {
    sessions.replaceOne(
        Filters.eq("_id", session.id()), toDocument(session), new ReplaceOptions().upsert(true));
  }

  public Optional<Session> find(String id) {
    return Optional.ofNullable(sessions.find(Filters.eq("_id", id)).first())
        .map(SessionStore::fromDocument);
  }

  /** All sessions, newest first. */
  public List<Session> all() {
    List<Session> result = new ArrayList<>();
    sessions.find().sort(Sorts.descending("createdAt")).forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  public List<Session> running() {
    List<Session> result = new ArrayList<>();
    sessions.find(Filters.eq("status", Session.RUNNING)).forEach(d -> result.add(fromDocument(d)));
    return result;
  }

  public void delete(String id) {
    sessions.deleteOne(Filters.eq("_id", id));
  }

  private static Document toDocument(Session s) {
    SessionConfig c = s.config();
    return new Document("_id", s.id())
        .append("ownerId", s.ownerId())
        .append("status", s.status())
        .append("createdAt", Date.from(s.createdAt()))
        .append("expiresAt", Date.from(s.expiresAt()))
        .append("stoppedAt", s.stoppedAt() == null ? null : Date.from(s.stoppedAt()))
        .append("revision", s.revision())
        .append(
            "config",
            new Document("name", c.name())
                .append("mode", c.mode())
                .append("targetUrl", c.targetUrl())
                .append("listenPort", c.listenPort())
                .append("namespace", c.namespace())
                .append("record", c.record())
                .append("captureBodyLimitBytes", c.captureBodyLimitBytes())
                .append("captureOverflow", c.captureOverflow())
                .append("durability", c.durability())
                // As JSON text: dnsMap keys hold dots, which MongoDB field names should not.
                .append("policiesJson", PolicyJson.write(c.policies()))
                .append("transportJson", PolicyJson.writeTransport(c.transport())));
  }

  private static Session fromDocument(Document d) {
    Document c = d.get("config", Document.class);
    SessionConfig config =
        new SessionConfig(
            c.getString("name"),
            c.getString("mode"),
            c.getString("targetUrl"),
            c.getInteger("listenPort"),
            c.getString("namespace"),
            c.getBoolean("record", true),
            ((Number) c.get("captureBodyLimitBytes")).longValue(),
            PolicyJson.read(c.getString("policiesJson")),
            PolicyJson.readTransport(c.getString("transportJson")),
            c.getString("captureOverflow"),
            c.getString("durability"));
    return new Session(
        d.getString("_id"),
        d.getString("ownerId"),
        config,
        d.getString("status"),
        instant(d.getDate("createdAt")),
        instant(d.getDate("expiresAt")),
        instant(d.getDate("stoppedAt")),
        ((Number) d.get("revision")).longValue());
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
