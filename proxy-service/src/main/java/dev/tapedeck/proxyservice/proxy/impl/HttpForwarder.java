package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proxyservice.policy.BodyRewrite;
import dev.tapedeck.proxyservice.policy.Modifier;
import dev.tapedeck.proxyservice.policy.SessionPolicies;
import dev.tapedeck.proxyservice.policy.ToxicPlan;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.tapedeck.policy.EgressPolicy.Refusal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forwards one HTTP request to the upstream its mode's {@link TargetResolver} names, in both modes
 * alike: bodies stream through in both directions with backpressure (never buffered whole, unless
 * a body replacement needs the whole body), hop-by-hop headers stay behind, and a bounded capture
 * of each body is kept for the recording.
 *
 * <p>The policies are the {@link InterceptorChain}'s: it decides on the request head (scope, a
 * local answer, modifications, the toxic plan, the recording), and on the response head (the toxic
 * delay, response header rules, the status filter). This class acts on what it decided: answers
 * locally or connects, streams the bodies through body replacements and the toxics' pacing, and
 * finishes the recording.
 *
 * <p>Failures map to statuses through {@link ProxyFailure}: 400 when the request names no target
 * the mode can serve (not recorded: nothing went upstream), 502 when the upstream cannot be reached
 * or breaks off before answering (recorded, with the error).
 */
final class HttpForwarder {
  private final Vertx vertx;
  private final UpstreamClients upstreams;
  private final CaptureSink sink;
  private final String proxyId;
  private final EgressGuard egress;
  private final InterceptorChain chain;
  private final ResponseRelay responses;

  HttpForwarder(
      Vertx vertx, UpstreamClients upstreams, CaptureSink sink, String proxyId, EgressGuard egress, InterceptorChain chain) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.sink = sink;
    this.proxyId = proxyId;
    this.egress = egress;
    this.chain = chain;
    this.responses = new ResponseRelay(vertx, chain);
  }

  void forward(HttpServerRequest req, SessionSettings s, TargetResolver resolver) {
    UpstreamTarget target = resolver.resolveOrRefuse(req, s);
    if (target != null) {
      chain.handle(
          ProxyExchange.of(ProxyExchange.Kind.HTTP, vertx, req, s, sink, proxyId, target, address(resolver.client(req))),
          x -> upstream(x, resolver));
    }
  }

  /** Sends the request, as the steps left it, to the upstream. */
  private void upstream(ProxyExchange x, TargetResolver resolver) {
    HttpServerRequest req = x.req;
    UpstreamTarget target = x.target;
    MultiMap headers = x.headers;
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setHost(target.host())
            .setPort(target.port())
            .setSsl(target.tls())
            .setURI(x.uri);
    HopByHop hop = HopByHop.of(req.headers());
    for (Map.Entry<String, String> h : headers) {
      // Host names the proxy (reverse) or repeats the target (forward); Vert.x sets the target's.
      if (!hop.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("host")) {
        options.addHeader(h.getKey(), h.getValue());
      }
    }
    if (acceptsTrailers(req.headers().getAll("te"))) {
      // TE is hop-by-hop, but this hop relays trailers too, and gRPC servers look for it.
      options.addHeader("te", "trailers");
    }
    if (x.settings.transport().forwardedHeaders()) {
      ForwardedHeaders.add(options, req, resolver.client(req));
    }
    Modifier mod = x.policies.modifier();
    boolean rewriteRequest =
        mod.rewritesRequestBodies()
            && headers.contains(HttpHeaders.CONTENT_LENGTH)
            && BodyRewrite.rewritable(headers.get(HttpHeaders.CONTENT_TYPE), headers.get(HttpHeaders.CONTENT_ENCODING));
    if (rewriteRequest && BodyRewrite.overLimit(headers.get(HttpHeaders.CONTENT_LENGTH))) {
      x.rewriteSkipped.add(BodyRewrite.overLimitReason(true));
    } else if (rewriteRequest) {
      String encoding = headers.get(HttpHeaders.CONTENT_ENCODING);
      if (expectsContinue(req)) {
        // The whole body is read here before anything goes upstream, so the proxy says continue.
        options.removeHeader(HttpHeaders.EXPECT);
        req.response().writeContinue();
      }
      req.body()
          .compose(raw -> BodyRewrite.submit(raw.getBytes(), headers.get(HttpHeaders.CONTENT_TYPE), encoding, mod, true).map(o -> ResponseRelay.rewritten(x, raw, o)))
          .onSuccess(
              rewritten -> {
                Buffer raw = rewritten.raw();
                byte[] changed = rewritten.changed();
                Buffer body = changed == null ? raw : Buffer.buffer(changed);
                if (changed != null) {
                  x.modified = true;
                  options.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
                  if (x.capture != null) {
                    if (!x.capture.hasOriginalRequest()) {
                      x.capture.originalRequestHead(req.method().name(), target.url(), req.version(), req.headers());
                    }
                    x.capture.originalRequestBody(raw);
                    x.capture.requestContentLength(body.length());
                  }
                }
                send(x, target, options, body);
              })
          .onFailure(t -> x.fail("Client request broke off: " + t.getMessage()));
      req.resume();
      return;
    }
    send(x, target, options, null);
  }

  /**
   * Resolves the address to connect to (the DNS map's, or the target's name), checks it against the
   * egress policy, then sends to that very address. Connecting to the resolved address keeps Host,
   * SNI and certificate checks on the target's name.
   */
  private void send(ProxyExchange x, UpstreamTarget target, RequestOptions options, Buffer wholeBody) {
    String address = x.policies.resolve(target.host());
    boolean redirected = !address.equalsIgnoreCase(target.host());
    Optional<Refusal> byName = egress.checkName(target.host());
    if (byName.isPresent()) {
      x.refuse(byName.get().message());
      return;
    }
    if (upstreams.viaProxy()) {
      // The upstream proxy resolves names; a DNS map entry still names the address to ask for.
      egress
          .checkChained(target.host(), address)
          .onComplete(
              checked -> {
                if (checked.failed()) {
                  failOrRefuse(x, target, checked.cause());
                  return;
                }
                // The upstream proxy at the address just checked, not its name again.
                options.setProxyOptions(checked.result());
                if (redirected) {
                  options.setServer(SocketAddress.inetSocketAddress(target.port(), address));
                }
                sendResolved(x, target, options, wholeBody);
              });
      return;
    }
    boolean lookup = x.capture != null && !UpstreamClients.isIpLiteral(address);
    if (lookup) {
      x.capture.resolving();
    }
    upstreams
        .resolve(address)
        .onComplete(
            resolved -> {
              if (resolved.failed()) {
                x.fail("Upstream " + target.origin() + " unreachable: cannot resolve " + address + ": "
                    + resolved.cause().getMessage());
                return;
              }
              if (lookup) {
                x.capture.resolved();
              }
              Optional<Refusal> refusal = egress.check(target.host(), redirected, resolved.result());
              if (refusal.isPresent()) {
                x.refuse(refusal.get().message());
                return;
              }
              // Always the checked address, never the name again: no second lookup to rebind.
              options.setServer(SocketAddress.inetSocketAddress(target.port(), resolved.result()));
              sendResolved(x, target, options, wholeBody);
            });
  }

  private void failOrRefuse(ProxyExchange x, UpstreamTarget target, Throwable cause) {
    if (cause instanceof EgressGuard.Refused refused) {
      x.refuse(refused.refusal.message());
    } else {
      x.fail("Upstream " + target.origin() + " unreachable: " + cause.getMessage());
    }
  }

  private void sendResolved(ProxyExchange x, UpstreamTarget target, RequestOptions options, Buffer wholeBody) {
    upstreams
        .request(x.req.version(), options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                x.fail("Upstream " + target.origin() + " unreachable: " + ar.cause().getMessage());
              } else if (wholeBody != null) {
                HttpClientRequest up = ar.result();
                connected(x, up);
                up.response().onComplete(rar -> responses.answered(x, rar.succeeded() ? rar.result() : null, rar.cause()));
                x.recordRequestChunk(wholeBody);
                up.end(wholeBody).onComplete(done -> requestSent(x));
              } else {
                stream(x, ar.result());
              }
            });
  }

  private void connected(ProxyExchange x, HttpClientRequest up) {
    boolean fresh = upstreams.fresh(up.connection());
    if (x.capture != null) {
      x.capture.connected(up.connection() == null ? null : address(up.connection().remoteAddress()), fresh);
    }
  }

  private static void requestSent(ProxyExchange x) {
    if (x.capture != null) {
      x.capture.requestSent();
    }
  }

  private void stream(ProxyExchange x, HttpClientRequest up) {
    HttpServerRequest req = x.req;
    connected(x, up);
    boolean hasLength = req.headers().contains(HttpHeaders.CONTENT_LENGTH);
    // HTTP/2 (h2c after an upgrade) has no Transfer-Encoding: a body without a length is chunked.
    boolean chunkedBody =
        !hasLength
            && (req.headers().contains(HttpHeaders.TRANSFER_ENCODING) || req.version() == HttpVersion.HTTP_2);
    if (chunkedBody) {
      up.setChunked(true);
    }
    up.response().onComplete(rar -> responses.answered(x, rar.succeeded() ? rar.result() : null, rar.cause()));
    if (expectsContinue(req)) {
      // The client holds its body until it hears 100 Continue: ask the upstream now and relay
      // its answer; a final status instead reaches the client as the response.
      up.continueHandler(v -> req.response().writeContinue());
      up.sendHead();
    }
    Pacer pacer = new Pacer(vertx, req, up, x.plan.slowReadKBps(), 0, () -> {});
    req.handler(
        chunk -> {
          if (chunk.length() == 0) {
            return; // an empty HTTP/2 DATA frame carries nothing to forward
          }
          x.recordRequestRead(chunk);
          pacer.write(chunk);
        });
    req.exceptionHandler(t -> up.reset());
    req.endHandler(v -> pacer.flushed(() -> up.end().onComplete(done -> requestSent(x))));
    req.resume();
  }

  private static boolean expectsContinue(HttpServerRequest req) {
    String expect = req.getHeader(HttpHeaders.EXPECT);
    return expect != null && expect.equalsIgnoreCase(HttpHeaders.CONTINUE.toString());
  }

  /** Whether a client whose {@code TE} headers are {@code te} takes trailers. */
  static boolean acceptsTrailers(List<String> te) {
    for (String value : te) {
      for (String token : value.split(",")) {
        if (token.trim().toLowerCase(Locale.ROOT).startsWith("trailers")) {
          return true;
        }
      }
    }
    return false;
  }

  static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  static boolean mayHaveBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  static String address(SocketAddress address) {
    return address == null ? null : address(address.hostAddress(), address.port());
  }

  /**
   * {@code ip:port}, as entries give the server's and the client's address: an IPv6 literal in
   * brackets ({@code [0:0:0:0:0:0:0:1]:8080}), as in a URL, so the port can be told from the
   * address.
   */
  static String address(String ip, int port) {
    return HostPort.bracketed(ip) + ":" + port;
  }
}
