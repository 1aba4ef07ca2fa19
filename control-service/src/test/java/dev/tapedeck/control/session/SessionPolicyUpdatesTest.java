package dev.tapedeck.control.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.auth.Caller;
import dev.tapedeck.control.watch.WatchRecorder;
import dev.tapedeck.policy.Filters;
import dev.tapedeck.policy.HeaderRule;
import dev.tapedeck.policy.Modifications;
import dev.tapedeck.policy.NetworkPresets;
import dev.tapedeck.policy.ProtocolToxics;
import dev.tapedeck.policy.Toxics;
import dev.tapedeck.proto.control.v1.ProxySession;
import dev.tapedeck.proto.control.v1.SessionUpdate;
import dev.tapedeck.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live policy updates reach the proxy pods' watch stream: each accepted update of a running
 * session is stored and sent as an upsert one revision on, carrying the new settings in what the
 * proxies read; a refused or foreign update sends nothing; a stopped session keeps the update
 * without a send.
 */
class SessionPolicyUpdatesTest {
  @TempDir Path dir;
  private final Caller owner = new Caller("user-1", false);
  private SessionsOnMongoWire wired;
  private SessionPolicyUpdates updates;
  private WatchRecorder proxy;
  private Session started;

  @BeforeEach
  void setUp() {
    wired = new SessionsOnMongoWire(dir, MutableClock.atNow(), Duration.ofHours(1));
    updates = new SessionPolicyUpdates(wired.sessions);
    started = wired.sessions.start(owner, new StartRequest("s", "reverse", "http://127.0.0.1:9", 0, null, null, null));
    proxy = new WatchRecorder(wired.broadcast, "proxy-1");
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    wired.close();
  }

  @Test
  void aFiltersUpdateIsSentOneRevisionOn() {
    Filters filters = new Filters(null, null, null, List.of("/health"), null, null);
    updates.updateFilters(owner, started.id(), filters);
    ProxySession sent = lastUpsert();
    assertThat(sent.getRevision()).isEqualTo(started.revision() + 1);
    assertThat(sent.getConfigJson()).contains("\"excludePaths\":[\"/health\"]");
    assertThat(stored().config().policies().filters()).isEqualTo(filters);
  }

  @Test
  void aToxicsUpdateIsSentNested() {
    updates.updateToxics(owner, started.id(), new Toxics(null, new ProtocolToxics(300, null, null, null, null, null), null, null, null, null));
    ProxySession sent = lastUpsert();
    assertThat(sent.getRevision()).isEqualTo(started.revision() + 1);
    assertThat(sent.getConfigJson()).contains("\"toxics\":{\"http\":{\"delayMs\":300}}");
  }

  @Test
  void aNetworkProfileUpdateIsSentAndNullRemovesIt() {
    updates.updateNetworkProfile(owner, started.id(), NetworkPresets.named("3g").orElseThrow());
    assertThat(lastUpsert().getConfigJson()).contains("\"name\":\"3g\"");
    updates.updateNetworkProfile(owner, started.id(), null);
    ProxySession sent = lastUpsert();
    assertThat(sent.getRevision()).isEqualTo(started.revision() + 2);
    assertThat(sent.getConfigJson()).doesNotContain("3g");
    assertThat(stored().config().policies().networkProfile()).isNull();
  }

  @Test
  void aRecordUpdateChangesTheSessionAndWhatTheProxiesGet() {
    updates.updateRecord(owner, started.id(), false);
    ProxySession sent = lastUpsert();
    assertThat(sent.getRecord()).isFalse();
    assertThat(stored().config().record()).isFalse();
    updates.updateRecord(owner, started.id(), true);
    assertThat(lastUpsert().getRecord()).isTrue();
  }

  @Test
  void anotherUsersSessionIsNotFoundAndNothingIsSent() {
    int before = proxy.updates().size();
    assertThatThrownBy(() -> updates.updateRecord(new Caller("user-2", false), started.id(), false))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(proxy.updates()).hasSize(before);
    assertThat(stored().revision()).isEqualTo(started.revision());
  }

  @Test
  void aRefusedUpdateKeepsTheSessionAndSendsNothing() {
    int before = proxy.updates().size();
    // "(set)" for a secret rule the session does not hold: nothing to keep, so refused.
    Modifications placeholder =
        new Modifications(List.of(new HeaderRule("add", "Authorization", "(set)", true)), null, null, null);
    assertThatThrownBy(() -> updates.updateModifications(owner, started.id(), placeholder))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThat(proxy.updates()).hasSize(before);
    assertThat(stored()).isEqualTo(started);
  }

  @Test
  void aStoppedSessionKeepsTheUpdateWithoutASend() {
    wired.sessions.stop(owner, started.id());
    int before = proxy.updates().size();
    updates.updateRecord(owner, started.id(), false);
    assertThat(proxy.updates()).hasSize(before);
    assertThat(stored().config().record()).isFalse();
  }

  private Session stored() {
    return wired.store.find(started.id()).orElseThrow();
  }

  private ProxySession lastUpsert() {
    List<SessionUpdate> all = proxy.updates();
    SessionUpdate last = all.getLast();
    assertThat(last.hasUpsert()).as("last update " + last).isTrue();
    return last.getUpsert();
  }
}
