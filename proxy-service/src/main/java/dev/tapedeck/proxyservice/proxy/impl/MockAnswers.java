package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.policy.contract.Playback;
import dev.tapedeck.policy.mock.CompiledMock;
import dev.tapedeck.policy.mock.Mismatch;
import dev.tapedeck.policy.mock.MockRequest;
import dev.tapedeck.policy.mock.MockSet;
import dev.tapedeck.policy.mock.ScenarioStates;
import dev.tapedeck.proxyservice.proxy.spi.MockCatalog;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers from the session's user's mocks (docs/api.md, "Playback"), as the local-answer step of
 * the chain:
 *
 * <ol>
 *   <li>Map Local ({@code mapLocal.enabled}) decides on the request head, as Mockarty's does: a
 *       mock whose method, URL, query and headers match answers; otherwise the request (its body
 *       untouched) goes upstream;
 *   <li>playback ({@code trafficMode: "playback"}) reads the request body (up to {@link
 *       #MAX_BODY}), matches body conditions too, and answers a miss with 404 naming the closest
 *       mocks and why each did not match;
 *   <li>a mock in a sequence (scenario) answers in turn: the session's scenario states move on with
 *       each answer and start again on a reset (a new {@code sequenceEpoch}).
 * </ol>
 *
 * Each answer is recorded (flagged {@code mapLocal}, or {@code playbackMiss}), passes the response
 * steps (toxic delay, response header rules, status filter) and is reported as an invocation.
 */
final class MockAnswers implements LocalAnswerStep.Source {
  /** Bytes of a request body read to match it in playback; the rest is read and dropped. */
  static final int MAX_BODY = 1 << 20;
  private static final int CLOSEST = 3;
  private static final int INVOCATION_BODY = 4096;
  private static final int INVOCATION_HEADERS = 50;
  private static final Future<LocalAnswer> NO_ANSWER = Future.succeededFuture();

  private final MockCatalog catalog;
  private final ScenarioStates states = new ScenarioStates();
  private volatile InterceptorChain chain;

  MockAnswers(MockCatalog catalog) {
    this.catalog = catalog;
  }

  /** The chain whose response steps the answers pass (it holds this source, so it comes later). */
  void chain(InterceptorChain value) {
    this.chain = value;
  }

  @Override
  public Future<LocalAnswer> answer(ProxyExchange x) {
    Playback p = x.settings.playback();
    if (!p.servesMocks()) {
      return NO_ANSWER;
    }
    states.resetOnNewEpoch(p.sequenceEpoch());
    if (x.kind != ProxyExchange.Kind.HTTP) {
      return p.playback() ? Future.succeededFuture(notHttp()) : NO_ANSWER;
    }
    Future<MockSet> set = catalog.mocks(x.settings.ownerId(), p.namespace());
    if (!p.playback()) {
      return set.map(
          mocks -> {
            MockRequest r = request(x, null);
            CompiledMock m = mocks.match(r, states, false);
            return m == null ? null : new MockAnswer(m, r, null);
          });
    }
    return set.compose(
        mocks ->
            readBody(x)
                .map(
                    body -> {
                      MockRequest r = request(x, body.getBytes());
                      CompiledMock m = mocks.match(r, states, true);
                      return m != null ? new MockAnswer(m, r, body) : miss(mocks, r, body, p.namespace());
                    }));
  }

  private static MockRequest request(ProxyExchange x, byte[] body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(x.req.headers().size());
    for (Map.Entry<String, String> h : x.req.headers()) {
      headers.add(h);
    }
    return MockRequest.of(x.req.method().name(), x.uri, headers, body);
  }

  /** Reads the whole request body (the request is paused by the chain), keeping {@link #MAX_BODY}. */
  private static Future<Buffer> readBody(ProxyExchange x) {
    Promise<Buffer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    if ("100-continue".equalsIgnoreCase(x.req.getHeader(HttpHeaders.EXPECT))) {
      x.req.response().writeContinue();
    }
    x.req.handler(
        chunk -> {
          int room = MAX_BODY - body.length();
          if (room > 0) {
            body.appendBuffer(chunk.length() <= room ? chunk : chunk.slice(0, room));
          }
        });
    x.req.exceptionHandler(done::tryFail);
    x.req.endHandler(v -> done.tryComplete(body));
    x.req.resume();
    return done.future();
  }

  /** A mock's answer. */
  private final class MockAnswer implements LocalAnswer {
    private final CompiledMock mock;
    private final MockRequest request;
    /** The request body, read already (playback); null when it is still to be read (Map Local). */
    private final Buffer body;

    MockAnswer(CompiledMock mock, MockRequest request, Buffer body) {
      this.mock = mock;
      this.request = request;
      this.body = body;
    }

    @Override
    public void send(ProxyExchange x) {
      x.mapLocal = true;
      byte[] rendered = mock.responseBody(request);
      Buffer out = x.req.method() == HttpMethod.HEAD ? Buffer.buffer() : Buffer.buffer(rendered);
      MultiMap headers = HttpHeaders.headers();
      for (Map.Entry<String, String> h : mock.responseHeaders()) {
        headers.add(h.getKey(), h.getValue());
      }
      headers.remove(HttpHeaders.TRANSFER_ENCODING);
      headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(rendered.length));
      catalog.invoked(invocation(x, mock, request, body));
      respond(x, body, mock.status(), headers, out, mock.delayMs());
    }
  }

  /** The 404 of a playback miss, naming the closest mocks and why each did not match. */
  private LocalAnswer miss(MockSet mocks, MockRequest r, Buffer body, String namespace) {
    JsonArray closest = new JsonArray();
    for (MockSet.Near near : mocks.closest(r, CLOSEST)) {
      JsonArray why = new JsonArray();
      for (Mismatch m : near.mismatches()) {
        why.add(new JsonObject().put("field", m.field()).put("expected", m.expected()).put("actual", m.actual()));
      }
      if (near.mismatches().isEmpty()) {
        why.add(
            new JsonObject()
                .put("field", "sequence")
                .put("expected", "scenario " + near.mock().scenario() + " in state " + near.mock().requiredState())
                .put("actual", "another state"));
      }
      closest.add(
          new JsonObject()
              .put("id", near.mock().id())
              .put("name", near.mock().name())
              .put("priority", near.mock().priority())
              .put("mismatches", why));
    }
    JsonObject answer =
        new JsonObject()
            .put("error", "no_mock_matched")
            .put(
                "message",
                "Playback: no mock in namespace \"" + namespace + "\" matched " + r.method() + " " + r.url()
                    + (mocks.size() == 0 ? " (the namespace holds no mocks)" : ""))
            .put("request", new JsonObject().put("method", r.method()).put("url", r.url()))
            .put("closestMocks", closest);
    Buffer out = Buffer.buffer(answer.encode());
    return x -> {
      x.playbackMiss = true;
      MultiMap headers =
          HttpHeaders.headers()
              .add(HttpHeaders.CONTENT_TYPE, "application/json")
              .add("X-Tapedeck-Playback", "miss")
              .add(HttpHeaders.CONTENT_LENGTH, String.valueOf(out.length()));
      respond(x, body, 404, headers, out, 0);
    };
  }

  private LocalAnswer notHttp() {
    return x -> {
      x.playbackMiss = true;
      Buffer out =
          Buffer.buffer(
              new JsonObject()
                  .put("error", "no_mock_matched")
                  .put("message", "Playback answers HTTP requests only; " + x.kind.name().toLowerCase() + " is not served")
                  .encode());
      MultiMap headers =
          HttpHeaders.headers()
              .add(HttpHeaders.CONTENT_TYPE, "application/json")
              .add("X-Tapedeck-Playback", "miss")
              .add(HttpHeaders.CONTENT_LENGTH, String.valueOf(out.length()));
      respond(x, Buffer.buffer(), 404, headers, out, 0);
    };
  }

  /**
   * Sends an answer through the response steps and records it; with the request body not read yet
   * (Map Local), reads (and records) it first so the connection stays usable.
   */
  private void respond(ProxyExchange x, Buffer body, int status, MultiMap headers, Buffer out, long delayMs) {
    AtomicInteger pending = new AtomicInteger(2);
    Runnable done =
        () -> {
          if (pending.decrementAndGet() == 0) {
            x.finish(null);
          }
        };
    if (body != null || x.kind == ProxyExchange.Kind.TUNNEL) {
      if (body != null && body.length() > 0) {
        x.recordRequestChunk(body);
      }
      done.run();
    } else {
      x.req.handler(x::recordRequestChunk);
      x.req.exceptionHandler(t -> done.run());
      x.req.endHandler(v -> done.run());
      x.req.resume();
    }
    x.response(status, headers);
    Runnable write =
        () ->
            chain
                .response(x)
                .onSuccess(
                    v -> {
                      HttpServerResponse response = x.req.response();
                      if (response.closed()) {
                        done.run();
                        return;
                      }
                      response.setStatusCode(x.status);
                      response.headers().addAll(x.responseHeaders);
                      x.recordResponseHead(x.status, response.getStatusMessage(), x.req.version(), response.headers());
                      x.recordResponseChunk(out);
                      response.end(out);
                      done.run();
                    })
                .onFailure(t -> x.fail("The session's policies failed on the response: " + t.getMessage()));
    if (delayMs > 0) {
      x.vertx.setTimer(delayMs, id -> write.run());
    } else {
      write.run();
    }
  }

  private static MockCatalog.Invocation invocation(ProxyExchange x, CompiledMock mock, MockRequest r, Buffer body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> h : x.req.headers()) {
      if (headers.size() >= INVOCATION_HEADERS) {
        break;
      }
      headers.add(Map.entry(h.getKey(), h.getValue()));
    }
    String text = "";
    if (body != null && body.length() > 0) {
      byte[] bytes = body.getBytes(0, Math.min(body.length(), INVOCATION_BODY));
      text = new String(bytes, StandardCharsets.UTF_8);
    }
    return new MockCatalog.Invocation(
        mock.id(), x.settings.ownerId(), x.settings.sessionId(), System.currentTimeMillis(), r.method(), r.url(), headers, text);
  }
}
