package dev.tapedeck.control.session;

import dev.tapedeck.control.entries.EntryQueries;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sessions as the API shows them: with their entry count, retention and back-pressure time. */
@ApplicationScoped
public class SessionViews {
  private final SessionService sessions;
  private final SessionRetention retention;
  private final EntryQueries entries;

  public SessionViews(SessionService sessions, SessionRetention retention, EntryQueries entries) {
    this.sessions = sessions;
    this.retention = retention;
    this.entries = entries;
  }

  /** One session, its entries counted. */
  public SessionView of(Session session) {
    return SessionView.of(
        session,
        entries.counts(List.of(session.id())).getOrDefault(session.id(), 0L),
        retention.retainedUntil(session),
        sessions.backpressureSeconds(session));
  }

  /** Many sessions, their entries counted in one call; counts are null if storage cannot answer. */
  public List<SessionView> of(List<Session> all) {
    Map<String, Long> counts = entries.counts(all.stream().map(Session::id).toList());
    List<SessionView> views = new ArrayList<>();
    for (Session s : all) {
      views.add(SessionView.of(
              s,
              counts.isEmpty() ? null : counts.getOrDefault(s.id(), 0L),
              retention.retainedUntil(s),
              sessions.backpressureSeconds(s)));
    }
    return views;
  }
}
