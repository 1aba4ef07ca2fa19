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
import dev.tapedeck.control.secrets.SecretBox;
import dev.tapedeck.control.secrets.Secrets;
import org.bson.Document;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Sessions in MongoDB (collection {@code sessions}), so they survive a control-plane restart. */
@ApplicationScoped
public class SessionStore {
  private final MongoCollection<Document> sessions;
  private final SecretBox secrets;

  public SessionStore(
      MongoClient mongo,
      @ConfigProperty(name = "quarkus.mongodb.database") String database,
      SecretBox secrets) {
    this.sessions = mongo.getDatabase(database).getCollection("sessions");
    this.secrets = secrets;
  }

  public void save(Session session) {
    sessions.replaceOne(
        Filters.eq("_id", session.id()), toDocument(session), new ReplaceOptions().upsert(true));
  }

  public Optional<Session> find(String id) {
    return Optional.ofNullable(sessions.find(Filters.eq("_id", id)).first())
        .map(this::fromDocument);
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

  /** The stored form: secret values encrypted (see {@link SecretBox}). */
  private Document toDocument(Session s) {
    SessionConfig c = Secrets.map(s.config(), secrets::seal);
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
                .append("trafficMode", c.playback().trafficMode())
                .append("mapLocal", c.playback().mapLocal().on())
                .append("mapLocalNamespace", c.playback().mapLocal().namespace())
                .append("sequenceEpoch", c.playback().sequenceEpoch())
                // As JSON text: dnsMap keys hold dots, which MongoDB field names should not.
                .append("policiesJson", PolicyJson.write(c.policies()))
                .append("transportJson", PolicyJson.writeTransport(c.transport())));
  }

  private Session fromDocument(Document d) {
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
            c.getString("durability"),
            new SessionPlayback(
                c.getString("trafficMode") != null
                    ? c.getString("trafficMode")
                    : c.getBoolean("record", true) ? "record" : "passthrough",
                new SessionPlayback.MapLocal(c.getBoolean("mapLocal", false), c.getString("mapLocalNamespace")),
                c.get("sequenceEpoch") == null ? 0 : ((Number) c.get("sequenceEpoch")).longValue()));
    return new Session(
        d.getString("_id"),
        d.getString("ownerId"),
        Secrets.map(config, secrets::open),
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
