package dev.tapedeck.control.mocks;

import dev.tapedeck.proto.control.v1.InvocationHeader;
import dev.tapedeck.proto.control.v1.MockInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The calls each mock answered, as the proxy pods report them (batched, within a fraction of a
 * second): a count, the first and last time, and the latest invocations (at most {@code
 * tapedeck.mocks.invocations-kept} per mock). Held in memory: a control-plane restart starts the
 * counts again, as restarting mockd does.
 */
@ApplicationScoped
public class MockInvocations {
  /** What verification shows of one call. */
  public record Invocation(
      String timestamp, String method, String path, Map<String, String> headers, String body, String sessionId) {}

  /** The calls of one mock. */
  private static final class Calls {
    final String ownerId;
    long count;
    Instant first;
    Instant last;
    final Deque<Invocation> latest = new ArrayDeque<>();

    Calls(String ownerId) {
      this.ownerId = ownerId;
    }
  }

  /** A mock's call count and times. */
  public record Summary(long count, Instant first, Instant last) {}

  private final Map<String, Calls> byMock = new ConcurrentHashMap<>();
  private final int kept;

  public MockInvocations(@ConfigProperty(name = "tapedeck.mocks.invocations-kept", defaultValue = "100") int kept) {
    this.kept = kept;
  }

  /** Counts the invocations a pod reported. */
  public void record(List<MockInvocation> invocations) {
    for (MockInvocation i : invocations) {
      Calls calls = byMock.computeIfAbsent(key(i.getOwnerId(), i.getMockId()), k -> new Calls(i.getOwnerId()));
      Instant at = Instant.ofEpochMilli(i.getAtEpochMillis());
      Map<String, String> headers = new LinkedHashMap<>();
      for (InvocationHeader h : i.getHeadersList()) {
        headers.merge(h.getName(), h.getValue(), (a, b) -> a + ", " + b);
      }
      synchronized (calls) {
        calls.count++;
        if (calls.first == null || at.isBefore(calls.first)) {
          calls.first = at;
        }
        if (calls.last == null || at.isAfter(calls.last)) {
          calls.last = at;
        }
        calls.latest.addLast(
            new Invocation(at.toString(), i.getMethod(), i.getUrl(), headers, i.getBody(), i.getSessionId()));
        while (calls.latest.size() > kept) {
          calls.latest.removeFirst();
        }
      }
    }
  }

  /** The call count and times of {@code ownerId}'s mock {@code mockId}. */
  public Summary summary(String ownerId, String mockId) {
    Calls calls = byMock.get(key(ownerId, mockId));
    if (calls == null) {
      return new Summary(0, null, null);
    }
    synchronized (calls) {
      return new Summary(calls.count, calls.first, calls.last);
    }
  }

  /** The latest invocations, oldest first. */
  public List<Invocation> latest(String ownerId, String mockId) {
    Calls calls = byMock.get(key(ownerId, mockId));
    if (calls == null) {
      return List.of();
    }
    synchronized (calls) {
      return new ArrayList<>(calls.latest);
    }
  }

  /** Forgets one mock's calls. */
  public void reset(String ownerId, String mockId) {
    byMock.remove(key(ownerId, mockId));
  }

  /** Forgets the calls of every mock of {@code ownerId} (every owner's when null). */
  public void resetAll(String ownerId) {
    byMock.values().removeIf(c -> ownerId == null || c.ownerId.equals(ownerId));
  }

  private static String key(String ownerId, String mockId) {
    return ownerId + "\u0000" + mockId;
  }
}
