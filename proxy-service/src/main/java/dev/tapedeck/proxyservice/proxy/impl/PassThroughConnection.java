package dev.tapedeck.proxyservice.proxy.impl;

import dev.tapedeck.proxyservice.proxy.ListenerOptions;
import dev.tapedeck.proxyservice.proxy.SessionSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import dev.tapedeck.proxyservice.proxy.spi.CaptureSink;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One client connection of {@link NettyPassThrough}: each request is decoded by Netty, sent to an
 * upstream connection of the loop's pool, and answered with the upstream's response as it streams
 * in, one request at a time, with the hop-by-hop headers of both left behind as {@link
 * HttpForwarder} and {@link ResponseRelay} leave them.
 *
 * <p><b>Handing the connection to Vert.x.</b> A request this path does not serve goes, with the
 * connection, to Vert.x's pipeline as its bytes came from the client. Two things make that exact:
 *
 * <ul>
 *   <li>the decoder stops after the end of each request until its response is out, so it never
 *       reads into the next one (a client that sends requests ahead of their answers leaves them
 *       in the decoder's buffer, past {@link #MAX_AHEAD} bytes no more is read);
 *   <li>from the end of one request until the next is on its way upstream, the gate ahead of the
 *       decoder keeps a reference to every byte read.
 * </ul>
 *
 * So once the next head is decoded and found not servable here, the bytes kept are that request
 * and whatever followed it; this connection's handlers leave, Vert.x's take their place, and the
 * bytes are read again by Vert.x. Once a request went upstream from here, its exchange ends here.
 *
 * <p><b>Recording.</b> When the session records the request (its filters say so), the exchange
 * keeps an {@link ExchangeCapture} fed as Vert.x's path feeds it: the heads as they came (the
 * client's, hop-by-hop headers included, and the upstream's), a copy of each body part up to the
 * limit before the part is written and released, the timings and the trailers. It is published
 * once, when the exchange ends however it ends, in {@link CaptureHandoff}'s line; a request handed
 * to Vert.x before it went upstream is recorded there instead, never here too. While the sink
 * lags, a request waits before it goes upstream, as on Vert.x's path.
 *
 * <p>Flow: client reads stop while an upstream connection is being opened, and whenever the
 * upstream connection cannot take more; upstream reads stop whenever the client cannot take more.
 * Only the client connection's event loop touches any of it.
 */
final class PassThroughConnection extends ChannelInboundHandlerAdapter {
  /** Bytes a client may send ahead of the answer to its current request before reads stop. */
  static final int MAX_AHEAD = 64 * 1024;

  private static final int WAITING_FOR_UPSTREAM = 1;
  private static final int UPSTREAM_FULL = 2;
  private static final int AHEAD = 4;
  private static final int HELD_BACK = 8;
  private static final HttpResponseStatus BAD_GATEWAY = new HttpResponseStatus(502, "Bad Gateway");

  private final NettyPassThrough plane;
  private final Channel client;
  private final Consumer<Channel> vertxPipeline;
  private final Gate gate = new Gate();
  private final HeldDecoder decoder = new HeldDecoder();
  private final HttpResponseEncoder encoder = new HttpResponseEncoder();
  private ChannelHandlerContext ctx;

  /** The bytes read since the current request's head began, while it could still go to Vert.x. */
  private final List<ByteBuf> raw = new ArrayList<>(2);
  private boolean retaining = true;
  /** Inside the gate's pass of a read through the decoder. */
  private boolean inPass;
  /** The connection goes to Vert.x once the current pass is over. */
  private boolean handingOff;
  private boolean handedOff;
  /** Why client reads are stopped: a set of the bits above. */
  private int stoppedFor;
  private Exchange exchange;
  /** The client's address as recordings give it ({@code ip:port}), once asked for. */
  private String clientAddress;

  PassThroughConnection(NettyPassThrough plane, Channel client, Consumer<Channel> vertxPipeline) {
    this.plane = plane;
    this.client = client;
    this.vertxPipeline = vertxPipeline;
  }

  void install() {
    client.pipeline().addLast(gate, decoder, encoder, this);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  // ---- the client side -------------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (handingOff || handedOff) {
      ReferenceCountUtil.release(msg); // the kept bytes hold it
      return;
    }
    Exchange x = exchange;
    if (x != null && !x.requestEnded && msg instanceof HttpContent part) {
      if (!part.decoderResult().isSuccess()) {
        // A body that broke off (the client closed mid-way, a bad chunk): the upstream must not
        // see it end as if complete, so neither connection goes on.
        part.release();
        client.close();
        return;
      }
      x.requestPart(part);
    } else if (x == null && msg instanceof HttpRequest head) {
      begin(head);
    } else {
      ReferenceCountUtil.release(msg); // the decoder holds after a request's end: not reached
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange x = exchange;
    if (x != null && x.upstream != null) {
      x.upstream.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange x = exchange;
    if (x != null && x.upstream != null && client.isWritable() && x.upstreamStopped) {
      x.upstreamStopped = false;
      x.upstream.config().setAutoRead(true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Exchange x = exchange;
    exchange = null;
    if (x != null) {
      x.drop();
      if (x.upstream != null) {
        // The request went upstream, so it is recorded, saying how it ended.
        publish(x, "The client closed its connection before the exchange ended");
        x.upstream.close(); // mid-exchange: the upstream connection cannot carry another
      }
    }
    releaseRaw();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void begin(HttpRequest head) {
    SessionSettings s = plane.settings();
    UpstreamTarget target = plane.qualifies(s) && servable(head) ? target(head, s) : null;
    if (target == null) {
      handOff();
      return;
    }
    Exchange x = new Exchange(head, s, target);
    exchange = x;
    admit(x);
  }

  /**
   * Capture back-pressure, as on Vert.x's path ({@code SessionProxyHandler}): while the sink lags,
   * a recording session's request waits, with nothing more read from its connection, and goes on
   * once the sink has caught up. The client sees a slower answer; no capture is lost.
   */
  private void admit(Exchange x) {
    SessionSettings s = x.settings;
    if (s.record() && !s.dropOnOverflow() && plane.recorder.sink().congested()) {
      stop(HELD_BACK);
      plane.recorder.holdBack().accept(() -> client.eventLoop().execute(() -> relieved(x)));
      return;
    }
    route(x);
  }

  private void relieved(Exchange x) {
    if (exchange != x) {
      return; // the client went away meanwhile
    }
    go(HELD_BACK);
    if (plane.settings() != x.settings) {
      handOff(); // the settings changed while it waited: Vert.x reads them afresh
      return;
    }
    admit(x);
  }

  private void route(Exchange x) {
    SessionSettings s = x.settings;
    String host = x.target.host();
    String mapped = s.policies().resolve(host);
    if (x.capture != null && !UpstreamClients.isIpLiteral(mapped)) {
      x.lookup = true;
      x.capture.resolving();
    }
    // The same look-up and checks as WebSockets and tunnels: by name, DNS map, address.
    Future<EgressGuard.Route> route = plane.egress.route(host, mapped);
    if (route.isComplete()) {
      routed(x, route);
    } else {
      stop(WAITING_FOR_UPSTREAM);
      route.onComplete(r -> client.eventLoop().execute(() -> routed(x, r)));
    }
  }

  /**
   * Where {@code head} goes, as {@link TargetResolver} has it for Vert.x's path: in reverse mode the
   * session's target with the request's path (origin form only), in forward mode the {@code http://}
   * URL the request names. Null for a request-target this path leaves to Vert.x: any other form,
   * an {@code https://} URL, or one that does not parse (Vert.x answers 400 and says why).
   */
  static UpstreamTarget target(HttpRequest head, SessionSettings s) {
    String uri = head.uri();
    if (!s.forwardMode()) {
      return uri.isEmpty() || uri.charAt(0) != '/' ? null : TargetResolver.reverse(uri, s);
    }
    try {
      UpstreamTarget target = AbsoluteUri.parse(uri);
      return target.tls() ? null : target;
    } catch (BadProxyRequest e) {
      return null;
    }
  }

  /** Whether {@code head} is one this path serves: see {@link NettyPassThrough}. */
  static boolean servable(HttpRequest head) {
    if (!head.decoderResult().isSuccess()) {
      return false;
    }
    HttpVersion version = head.protocolVersion();
    if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
      return false;
    }
    if (head.method().equals(HttpMethod.CONNECT)) {
      return false;
    }
    HttpHeaders h = head.headers();
    if (h.contains(HttpHeaderNames.UPGRADE) || h.contains(HttpHeaderNames.EXPECT)) {
      return false;
    }
    List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    return te.isEmpty() || (te.size() == 1 && te.get(0).equalsIgnoreCase("chunked"));
  }

  /** The target's address is looked up and checked (or refused): an upstream connection is found. */
  private void routed(Exchange x, AsyncResult<EgressGuard.Route> route) {
    if (exchange != x) {
      return; // the client went away meanwhile
    }
    if (route.failed()) {
      handOff(); // Vert.x answers 403 or 502 and says why
      return;
    }
    if (x.lookup) {
      x.capture.resolved();
    }
    String ip = route.result().address();
    int port = x.target.port();
    String address = plane.address(ip, port);
    NettyPassThrough.Pool pool = plane.pool(client.eventLoop());
    Channel pooled = pool.borrow(address);
    if (pooled != null) {
      attach(x, pooled, address, false);
      return;
    }
    stop(WAITING_FOR_UPSTREAM);
    plane.connect(client, ip, port).addListener((ChannelFutureListener) f -> connected(x, f, address));
  }

  private void connected(Exchange x, ChannelFuture f, String address) {
    if (exchange != x) {
      if (f.isSuccess()) {
        f.channel().close();
      }
      return;
    }
    if (!f.isSuccess()) {
      badGateway(x, "Upstream " + x.target.origin() + " unreachable: " + f.cause().getMessage());
      return;
    }
    attach(x, f.channel(), address, true);
  }

  /**
   * The request goes upstream on {@code upstream} ({@code fresh}: opened for it, not from the
   * pool): from here on it is this path's to finish, and to record.
   */
  private void attach(Exchange x, Channel upstream, String address, boolean fresh) {
    plane.exchanges.increment();
    if (x.capture != null) {
      x.capture.connected(ipAndPort(upstream.remoteAddress()), fresh);
    }
    x.upstream = upstream;
    x.address = address;
    x.side = upstream.pipeline().get(Upstream.class);
    x.side.connection = this;
    x.side.exchange = x;
    retaining = false;
    releaseRaw();
    upstream.write(x.upstreamHead, upstream.voidPromise());
    if (x.early != null) {
      for (HttpContent part : x.early) {
        upstream.write(part, upstream.voidPromise());
      }
      x.early = null;
    }
    upstream.flush();
    if (x.requestEnded) {
      x.sent();
    }
    go(WAITING_FOR_UPSTREAM);
    if (!upstream.isWritable()) {
      stop(UPSTREAM_FULL);
    }
  }

  private void stop(int why) {
    if (stoppedFor == 0) {
      client.config().setAutoRead(false);
    }
    stoppedFor |= why;
  }

  private void go(int why) {
    if ((stoppedFor & why) == 0) {
      return;
    }
    stoppedFor &= ~why;
    if (stoppedFor == 0) {
      client.config().setAutoRead(true);
    }
  }

  // ---- the upstream side -----------------------------------------------------------------------

  private void responsePart(Exchange x, Object msg) {
    if (x.responseEnded) {
      // Nothing may follow a whole response on its connection while the exchange waits for the
      // rest of the request or, acked, for its capture; the connection is not given back then.
      ReferenceCountUtil.release(msg);
      x.upstreamKeepsAlive = false;
      return;
    }
    if (msg instanceof HttpResponse head) {
      if (!head.decoderResult().isSuccess()) {
        ReferenceCountUtil.release(msg);
        upstreamLost(x, "its response cannot be read: " + head.decoderResult().cause().getMessage());
        return;
      }
      if (head.status().codeClass() == io.netty.handler.codec.http.HttpStatusClass.INFORMATIONAL) {
        x.informational = true; // dropped with what follows it, as Vert.x's client drops it
        ReferenceCountUtil.release(msg);
        return;
      }
      x.upstreamKeepsAlive = HttpUtil.isKeepAlive(head);
      x.recordHead(head.status(), head.protocolVersion(), head.headers(), true);
      x.headWritten = true;
      ctx.write(x.clientHead(head), ctx.voidPromise());
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    if (!(msg instanceof HttpContent part)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (x.informational) {
      part.release();
      x.informational = !(part instanceof LastHttpContent);
      return;
    }
    if (!part.decoderResult().isSuccess()) {
      // The upstream's body broke off: the client sees it end short, never complete.
      part.release();
      upstreamLost(x, part.decoderResult().cause().getMessage());
      return;
    }
    x.recordResponsePart(part);
    if (part instanceof LastHttpContent) {
      x.responseEnded = true;
      if (x.acked()) {
        x.last = part; // the client gets the response's last bytes once its capture is durable
      } else {
        x.lastWrite = ctx.writeAndFlush(part);
      }
      if (x.requestEnded) {
        ended(x);
      }
      return;
    }
    ctx.write(part, ctx.voidPromise());
    if (!client.isWritable() && !x.upstreamStopped) {
      x.upstreamStopped = true;
      x.upstream.config().setAutoRead(false);
    }
  }

  /** The upstream connection closed or failed, saying {@code why}, before the response ended. */
  private void upstreamLost(Exchange x, String why) {
    if (exchange != x || x.last != null) {
      return; // the response came whole: its last bytes wait for the capture, not the upstream
    }
    x.upstream.close();
    if (!x.headWritten) {
      x.keepAlive = false;
      badGateway(x, "Upstream failed before answering: " + why);
    } else {
      exchange = null;
      x.drop();
      publish(x, "Upstream response broke off: " + why);
      // What came goes out, then the connection closes: the client sees the body end short.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * The request and the response are both in: the exchange finishes, once its capture is durable
   * when the session asks for that ({@code durability: "acked"}).
   */
  private void ended(Exchange x) {
    if (x.last == null) {
      finish(x);
      return;
    }
    ExchangeCapture capture = x.capture;
    x.capture = null;
    // As ResponseRelay.whenDurable on Vert.x's path: published now, the last bytes held until the
    // capture is acknowledged by Kafka or in the spool (or failed to be either).
    CaptureHandoff.finishDurably(plane.recorder.sink(), x.settings, () -> capture.complete(null))
        .whenComplete((ok, failure) -> client.eventLoop().execute(() -> durable(x)));
  }

  /** {@code x}'s capture is durable: the client gets the response's last bytes. */
  private void durable(Exchange x) {
    HttpContent last = x.last;
    if (exchange != x || last == null) {
      return; // the client went away meanwhile, and the part with it
    }
    x.last = null;
    x.lastWrite = ctx.writeAndFlush(last);
    finish(x);
  }

  /** Both directions are over: the upstream connection goes back, the next request may come. */
  private void finish(Exchange x) {
    exchange = null;
    publish(x, null);
    Channel upstream = x.upstream;
    if (upstream != null) {
      x.side.connection = null;
      x.side.exchange = null;
      if (x.upstreamKeepsAlive && x.requestSent && x.responseEnded && upstream.isActive()) {
        if (x.upstreamStopped) {
          upstream.config().setAutoRead(true);
        }
        plane.pool(client.eventLoop()).giveBack(x.address, upstream);
      } else {
        upstream.close();
      }
    }
    go(UPSTREAM_FULL);
    if (!x.keepAlive) {
      // Only a response's last write gets here without keep-alive (a 502 closes by itself).
      x.lastWrite.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // The next request: its bytes are what the decoder left unread, and every read from now on.
    releaseRaw();
    decoder.held = false;
    retaining = true;
    go(AHEAD);
    ByteBuf unread = decoder.unread();
    if (unread.isReadable()) {
      raw.add(unread.copy());
      if (!inPass) { // inside a pass the decoder goes on by itself
        gate.pass(Unpooled.EMPTY_BUFFER);
        Exchange next = exchange;
        if (next != null && next.upstream != null) {
          next.upstream.flush();
        }
      }
    }
  }

  /**
   * Finishes {@code x}'s recording, if any ({@code error} null when the exchange completed), and
   * hands it to the sink in the order exchanges end, as {@link ProxyExchange#finish} does.
   */
  private void publish(Exchange x, String error) {
    ExchangeCapture capture = x.capture;
    if (capture != null) {
      x.capture = null;
      CaptureHandoff.finish(plane.recorder.sink(), x.settings, () -> capture.complete(error));
    }
  }

  /** {@code bytes} as the capture takes them; it copies what it keeps, before the part is released. */
  @SuppressWarnings("deprecation") // Vert.x 4's view of a ByteBuf, without a copy
  private static Buffer view(ByteBuf bytes) {
    return Buffer.buffer(bytes);
  }

  /** An address as recordings give it: {@code ip:port}. */
  private static String ipAndPort(SocketAddress address) {
    return address instanceof InetSocketAddress inet
        ? HttpForwarder.address(inet.getAddress().getHostAddress(), inet.getPort())
        : String.valueOf(address);
  }

  private String clientAddress() {
    if (clientAddress == null) {
      clientAddress = ipAndPort(client.remoteAddress());
    }
    return clientAddress;
  }

  /** Answers 502 in the REST API's error shape, as {@link ProxyFailure} does for Vert.x. */
  private void badGateway(Exchange x, String message) {
    byte[] json = ProxyFailure.BAD_GATEWAY.json(message).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(x.version, BAD_GATEWAY, Unpooled.wrappedBuffer(json));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
    // The rest of a request body still coming is not read: the connection closes after this.
    x.keepAlive &= x.requestEnded;
    x.connection(response.headers());
    x.recordHead(BAD_GATEWAY, x.version, response.headers(), false);
    x.recordResponsePart(response);
    publish(x, message);
    x.headWritten = true;
    x.responseEnded = true;
    exchange = null;
    x.drop();
    go(WAITING_FOR_UPSTREAM);
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!x.keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    finish(x);
  }

  // ---- handing the connection to Vert.x ----------------------------------------------------------

  private void handOff() {
    handingOff = true;
    if (!inPass) {
      completeHandOff();
    }
  }

  /** Replaces this connection's handlers with Vert.x's and lets Vert.x read the kept bytes. */
  private void completeHandOff() {
    handingOff = false;
    handedOff = true;
    plane.handoffs.increment();
    Exchange x = exchange;
    exchange = null;
    if (x != null) {
      x.drop();
      x.capture = null; // never published: Vert.x records the request from its bytes
    }
    ChannelPipeline pipeline = client.pipeline();
    pipeline.remove(decoder); // what it had not decoded comes here and is dropped: the kept bytes hold it
    pipeline.remove(encoder);
    pipeline.remove(this);
    pipeline.remove(gate);
    vertxPipeline.accept(client);
    List<ByteBuf> bytes = List.copyOf(raw);
    raw.clear();
    bytes.forEach(pipeline::fireChannelRead);
    pipeline.fireChannelReadComplete();
    if (stoppedFor != 0) {
      stoppedFor = 0;
      client.config().setAutoRead(true);
    }
  }

  private void releaseRaw() {
    raw.forEach(ByteBuf::release);
    raw.clear();
  }

  /** Ahead of the decoder: keeps what is read while the request may still go to Vert.x. */
  private final class Gate extends ChannelInboundHandlerAdapter {
    private ChannelHandlerContext gateCtx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.gateCtx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (retaining && msg instanceof ByteBuf bytes && bytes.isReadable()) {
        raw.add(bytes.retainedDuplicate());
      }
      pass(msg);
    }

    /** One pass of {@code msg} through the decoder; a hand-off asked for in it happens after. */
    void pass(Object msg) {
      inPass = true;
      try {
        gateCtx.fireChannelRead(msg);
      } finally {
        inPass = false;
      }
      if (handingOff) {
        completeHandOff();
      } else if (decoder.held && exchange != null && decoder.unread().readableBytes() > MAX_AHEAD) {
        stop(AHEAD);
      }
    }
  }

  /** Netty's request decoder, stopping after the end of each request until told to go on. */
  private static final class HeldDecoder extends HttpRequestDecoder {
    boolean held;

    HeldDecoder() {
      // The limits of Vert.x's decoder for the session listeners (ListenerOptions).
      super(
          new HttpDecoderConfig()
              .setMaxInitialLineLength(16 * 1024)
              .setMaxHeaderSize(64 * 1024)
              .setMaxChunkSize(ListenerOptions.MAX_CHUNK_BYTES));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
      if (held) {
        return;
      }
      int before = out.size();
      super.decode(ctx, in, out);
      if (out.size() > before && out.get(out.size() - 1) instanceof LastHttpContent) {
        held = true;
      }
    }

    /** The bytes read and not decoded yet. */
    ByteBuf unread() {
      return internalBuffer();
    }
  }

  /** One request and its response. */
  private final class Exchange {
    final SessionSettings settings;
    /** Where the request goes, and the URL its recording shows. */
    final UpstreamTarget target;
    final HttpVersion version;
    final HttpMethod method;
    final HttpRequest upstreamHead;
    /** Parts of the request read before its upstream connection was there; null for none. */
    List<HttpContent> early;
    boolean keepAlive;
    Channel upstream;
    /** The handler of {@link #upstream}, which hands its reads to this exchange. */
    Upstream side;
    String address;
    boolean requestEnded;
    boolean requestSent;
    boolean headWritten;
    boolean responseEnded;
    boolean upstreamKeepsAlive;
    boolean upstreamStopped;
    boolean informational;
    /** The write of the response's end, which a connection not kept alive closes after. */
    ChannelFuture lastWrite;
    /** The response's end, held back until its capture is durable ({@link #acked}); null otherwise. */
    HttpContent last;
    /** The recording, while the exchange goes on; null when it is not recorded, or once published. */
    ExchangeCapture capture;
    /** Whether the recording times a name look-up. */
    boolean lookup;

    Exchange(HttpRequest head, SessionSettings s, UpstreamTarget target) {
      this.settings = s;
      this.target = target;
      this.version = head.protocolVersion();
      this.method = head.method();
      this.keepAlive = HttpUtil.isKeepAlive(head);
      HttpHeaders in = head.headers();
      HopByHop hop = HopByHop.of(in.getAll(HttpHeaderNames.CONNECTION));
      HttpHeaders out = new DefaultHttpHeaders(false);
      String host = HostPort.bracketed(target.host());
      out.add(HttpHeaderNames.HOST, target.port() == 80 ? host : host + ":" + target.port());
      for (Map.Entry<String, String> h : in) {
        // Host names the proxy (reverse) or repeats the target (forward); the target's is set above.
        if (!hop.contains(h.getKey()) && !h.getKey().equalsIgnoreCase("host")) {
          out.add(h.getKey(), h.getValue());
        }
      }
      if (HttpForwarder.acceptsTrailers(in.getAll(HttpHeaderNames.TE))) {
        // TE is hop-by-hop, but this hop relays trailers too.
        out.add(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      }
      if (!in.contains(HttpHeaderNames.CONTENT_LENGTH) && in.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
        out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      String uri = target.uri();
      this.upstreamHead = new DefaultHttpRequest(HttpVersion.HTTP_1_1, head.method(), uri, out);
      if (s.record()
          && s.policies().filter().recordsRequest(target.host(), target.port(), HttpForwarder.pathOf(uri), method.name())) {
        NettyPassThrough.Recorder recorder = plane.recorder;
        CaptureSink sink = recorder.sink();
        capture =
            new ExchangeCapture(s, recorder.proxyId(), part -> CaptureHandoff.publish(sink, s, part), sink.captureBudget());
        // As the client sent it, hop-by-hop headers and Host included, as Vert.x's path records it.
        capture.requestHead(method.name(), target.url(), vertxVersion(version), new HeadersAdaptor(in), clientAddress());
      }
    }

    /** Whether the response's last bytes wait for its capture to be durable. */
    boolean acked() {
      return capture != null && settings.ackedDurability();
    }

    /** The last of the request went upstream. */
    void sent() {
      requestSent = true;
      if (capture != null) {
        capture.requestSent();
      }
    }

    /**
     * Records the response head; a head from the upstream ({@code filtered}) is left out, with the
     * whole exchange, when the session's status filter leaves its status out.
     */
    void recordHead(HttpResponseStatus status, HttpVersion upstreamVersion, HttpHeaders headers, boolean filtered) {
      if (capture == null) {
        return;
      }
      if (filtered && !settings.policies().filter().recordsStatus(status.code())) {
        capture = null;
        return;
      }
      capture.responseHead(status.code(), status.reasonPhrase(), vertxVersion(upstreamVersion), new HeadersAdaptor(headers));
    }

    /** Records a part of the response body (copied: the part is released once written) and trailers. */
    void recordResponsePart(HttpContent part) {
      if (capture == null) {
        return;
      }
      if (part.content().isReadable()) {
        capture.responseChunk(view(part.content()));
      }
      if (part instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
        capture.responseTrailers(new HeadersAdaptor(last.trailingHeaders()));
      }
    }

    void requestPart(HttpContent part) {
      if (capture != null && part.content().isReadable()) {
        capture.requestChunk(view(part.content())); // copied: the part is released once written
      }
      boolean last = part instanceof LastHttpContent;
      if (last) {
        requestEnded = true;
      }
      if (upstream == null) {
        if (early == null) {
          early = new ArrayList<>(1);
        }
        early.add(part);
        return;
      }
      upstream.write(part, upstream.voidPromise());
      if (last) {
        sent();
        if (responseEnded) {
          upstream.flush();
          ended(this);
          return;
        }
      }
      if (!upstream.isWritable()) {
        stop(UPSTREAM_FULL);
      }
    }

    /** The response head as it goes to the client. */
    HttpResponse clientHead(HttpResponse upstreamHead) {
      HttpHeaders in = upstreamHead.headers();
      HopByHop hop = HopByHop.of(in.getAll(HttpHeaderNames.CONNECTION));
      HttpHeaders out = new DefaultHttpHeaders(false);
      for (Map.Entry<String, String> h : in) {
        if (!hop.contains(h.getKey())) {
          out.add(h.getKey(), h.getValue());
        }
      }
      int status = upstreamHead.status().code();
      boolean mayHaveBody = !method.equals(HttpMethod.HEAD) && status >= 200 && status != 204 && status != 304;
      if (mayHaveBody && !in.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        if (version.equals(HttpVersion.HTTP_1_1)) {
          out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
          keepAlive = false; // HTTP/1.0: the body ends where the connection does
        }
      }
      connection(out);
      return new DefaultHttpResponse(version, upstreamHead.status(), out);
    }

    /** The Connection header the client needs to hear, as Vert.x's server sets it. */
    void connection(HttpHeaders out) {
      if (version.equals(HttpVersion.HTTP_1_0) && keepAlive) {
        out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      } else if (version.equals(HttpVersion.HTTP_1_1) && !keepAlive) {
        out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }

    static io.vertx.core.http.HttpVersion vertxVersion(HttpVersion version) {
      return version.equals(HttpVersion.HTTP_1_0)
          ? io.vertx.core.http.HttpVersion.HTTP_1_0
          : io.vertx.core.http.HttpVersion.HTTP_1_1;
    }

    /** Releases the parts held for the upstream, and the response's end held for the client. */
    void drop() {
      if (early != null) {
        early.forEach(HttpContent::release);
        early = null;
      }
      if (last != null) {
        last.release();
        last = null;
      }
    }
  }

  /** The handler of an upstream connection: hands what it reads to the exchange it carries. */
  static final class Upstream extends ChannelInboundHandlerAdapter {
    PassThroughConnection connection;
    Exchange exchange;
    long idleSince;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (connection == null) {
        ReferenceCountUtil.release(msg); // nothing was asked of this connection
        ctx.close();
        return;
      }
      connection.responsePart(exchange, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (connection != null) {
        connection.ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (connection != null && ctx.channel().isWritable()) {
        connection.go(UPSTREAM_FULL);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (connection != null) {
        connection.upstreamLost(exchange, "Connection was closed");
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
