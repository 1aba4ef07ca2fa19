package dev.tapedeck.control.mocks;

import dev.tapedeck.control.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many mocks a user may hold ({@code tapedeck.mocks.max-per-user}) and how many one namespace
 * of theirs may ({@code tapedeck.mocks.max-per-namespace}): what a proxy pod holds in memory for
 * one playback session is bounded by the second.
 */
@ApplicationScoped
public class MockLimits {
  private final MockStore store;
  private final int maxPerUser;
  private final int maxPerNamespace;

  public MockLimits(
      MockStore store,
      @ConfigProperty(name = "tapedeck.mocks.max-per-user") int maxPerUser,
      @ConfigProperty(name = "tapedeck.mocks.max-per-namespace") int maxPerNamespace) {
    this.store = store;
    this.maxPerUser = maxPerUser;
    this.maxPerNamespace = maxPerNamespace;
  }

  /** 409 when {@code adding} more mocks would pass the user's or the namespace's limit. */
  public void check(String ownerId, String namespace, long adding) {
    if (adding <= 0) {
      return;
    }
    if (store.count(ownerId, null) + adding > maxPerUser) {
      throw ApiException.conflict(
          "mock_limit_user", "At most " + maxPerUser + " mocks per user (tapedeck.mocks.max-per-user); delete some first");
    }
    if (store.count(ownerId, namespace) + adding > maxPerNamespace) {
      throw ApiException.conflict(
          "mock_limit_namespace",
          "At most " + maxPerNamespace + " mocks per namespace (tapedeck.mocks.max-per-namespace); namespace \""
              + namespace + "\" is full");
    }
  }
}
