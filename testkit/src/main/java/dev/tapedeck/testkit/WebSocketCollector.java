package dev.tapedeck.testkit;

import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link WebSocket.Listener} that queues each whole text message and completes {@link #closed()}
 * with the close code, for tests that read a live stream.
 */
public final class WebSocketCollector implements WebSocket.Listener {
  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();

  /** The whole text messages received so far, oldest first. */
  public BlockingQueue<String> messages() {
    return messages;
  }

  /** Completes with the close code the server sent. */
  public CompletableFuture<Integer> closed() {
    return closed;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      messages.add(text.toString());
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(statusCode);
    return null;
  }
}
