package dev.tapedeck.control.mocks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tapedeck.proto.control.v1.MockDefinition;
import dev.tapedeck.proto.control.v1.MockSetUpdate;
import dev.tapedeck.proto.control.v1.MockSnapshot;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The proxy pods' watches on mock sets (one user's mocks in one namespace). A new watcher gets a
 * snapshot of its set and then every change; both happen under one lock, and every change is
 * broadcast under it too, so no change falls between a snapshot and the stream.
 */
@ApplicationScoped
public class MockBroadcast {
  private final Object lock = new Object();
  private final Map<String, Set<MultiEmitter<? super MockSetUpdate>>> watchers = new HashMap<>();
  private final ObjectMapper json;

  public MockBroadcast(ObjectMapper json) {
    this.json = json;
  }

  /** Registers a watcher of {@code ownerId}'s {@code namespace} and sends it the set as it is. */
  void subscribe(
      String ownerId, String namespace, MultiEmitter<? super MockSetUpdate> emitter, Supplier<List<Mock>> snapshot) {
    String key = key(ownerId, namespace);
    synchronized (lock) {
      watchers.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(emitter);
      MockSnapshot.Builder set = MockSnapshot.newBuilder();
      snapshot.get().forEach(m -> set.addMocks(definition(m)));
      emitter.emit(MockSetUpdate.newBuilder().setSnapshot(set).build());
    }
    emitter.onTermination(
        () -> {
          synchronized (lock) {
            Set<MultiEmitter<? super MockSetUpdate>> set = watchers.get(key);
            if (set != null) {
              set.remove(emitter);
              if (set.isEmpty()) {
                watchers.remove(key);
              }
            }
          }
        });
  }

  /** A mock was written; {@code before} is what was stored under its id (null: none). */
  void saved(Mock before, Mock after) {
    synchronized (lock) {
      if (before != null && !sameSet(before, after)) {
        emit(key(before.ownerId(), before.namespace()), removal(before.id()));
      }
      emit(key(after.ownerId(), after.namespace()), MockSetUpdate.newBuilder().setUpsert(definition(after)).build());
    }
  }

  /** A mock was deleted. */
  void deleted(Mock mock) {
    synchronized (lock) {
      emit(key(mock.ownerId(), mock.namespace()), removal(mock.id()));
    }
  }

  /** The number of open watches, for tests and metrics. */
  public int watches() {
    synchronized (lock) {
      return watchers.values().stream().mapToInt(Set::size).sum();
    }
  }

  private void emit(String key, MockSetUpdate update) {
    Set<MultiEmitter<? super MockSetUpdate>> set = watchers.get(key);
    if (set != null) {
      set.forEach(e -> e.emit(update));
    }
  }

  private static MockSetUpdate removal(String id) {
    return MockSetUpdate.newBuilder().setRemovedMockId(id).build();
  }

  private static boolean sameSet(Mock a, Mock b) {
    return Objects.equals(a.ownerId(), b.ownerId()) && Objects.equals(a.namespace(), b.namespace());
  }

  private static String key(String ownerId, String namespace) {
    return ownerId + "\u0000" + namespace;
  }

  private MockDefinition definition(Mock m) {
    try {
      return MockDefinition.newBuilder()
          .setId(m.id())
          .setEnabled(m.enabled())
          .setPriority(m.priority())
          .setDefinitionJson(json.writeValueAsString(m.definition()))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A mock definition does not serialize", e);
    }
  }
}
