package dev.tapedeck.proxyservice.proxy.spi;

import dev.tapedeck.policy.mock.MockSet;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The mock sets a proxy answers from (playback, Map Local): one user's mocks in one namespace,
 * held in memory, and where it tells what its mocks answered.
 */
public interface MockCatalog {
  /** No mocks: every set is empty. */
  MockCatalog NONE =
      new MockCatalog() {
        @Override
        public Future<MockSet> mocks(String ownerId, String namespace) {
          return Future.succeededFuture(MockSet.EMPTY);
        }

        @Override
        public void invoked(Invocation invocation) {}
      };

  /**
   * {@code ownerId}'s mocks in {@code namespace}: at once when this pod holds the set, else once
   * its first snapshot arrived (or, when it does not come in time, empty).
   */
  Future<MockSet> mocks(String ownerId, String namespace);

  /** A mock answered a request; reported to the control plane in batches. */
  void invoked(Invocation invocation);

  /** One request a mock answered. */
  record Invocation(
      String mockId,
      String ownerId,
      String sessionId,
      long atEpochMillis,
      String method,
      String url,
      List<Map.Entry<String, String>> headers,
      String body) {}
}
