package dev.tapedeck.proxyservice.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The connections one event loop accepted on one port: closed together when the port closes, and
 * one by one when idle.
 *
 * <p>Each connection carries a small handler, next to the socket, that marks it busy whenever a
 * byte is read or a write is issued; once a second the loop looks at all of them and closes those
 * left unmarked for longer than the idle timeout. So a silent connection is closed between the
 * timeout and a second after it. Netty's {@code IdleStateHandler}, which Vert.x puts on each
 * connection otherwise, schedules a timer for every connection (twice over, with h2c detection)
 * and listens for the completion of every write; this does neither (docs/development.md,
 * "Idle connections swept by their event loop").
 *
 * <p>Only the loop's own thread touches the set and the marks.
 */
final class LoopConnections {
  private static final long SWEEP_MILLIS = 1_000;

  private final EventLoop loop;
  /** Sweeps a connection may stay unmarked through and stay open; 0 for no idle timeout. */
  private final int idleSweeps;
  private final Set<Busy> open = new HashSet<>();
  private final ScheduledFuture<?> sweeping;
  private boolean closed;

  LoopConnections(EventLoop loop, int idleTimeoutSeconds) {
    this.loop = loop;
    this.idleSweeps = (int) (TimeUnit.SECONDS.toMillis(idleTimeoutSeconds) / SWEEP_MILLIS);
    this.sweeping =
        idleSweeps == 0
            ? null
            : loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  /**
   * Follows {@code channel}, just accepted by this loop: call before any other handler is added,
   * so that the mark sits next to the socket and sees every read and write.
   */
  void add(Channel channel) {
    if (closed) {
      channel.close();
      return;
    }
    Busy busy = new Busy(channel);
    channel.pipeline().addLast(busy);
    open.add(busy);
  }

  private void sweep() {
    List<Channel> idle = new ArrayList<>();
    for (Busy busy : open) {
      if (++busy.quietSweeps > idleSweeps) {
        idle.add(busy.channel);
      }
    }
    idle.forEach(Channel::close); // after the loop: a close can leave the set
  }

  /** Stops sweeping and closes every connection; completes once all are closed. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    try {
      loop.execute(
          () -> {
            closed = true;
            if (sweeping != null) {
              sweeping.cancel(false);
            }
            List<Future<Void>> closing = new ArrayList<>();
            for (Busy busy : List.copyOf(open)) {
              closing.add(LoopAcceptors.done(busy.channel.close()));
            }
            Future.join(closing).onComplete(all -> done.complete());
          });
    } catch (RejectedExecutionException shutDown) {
      return Future.succeededFuture(); // the loop is gone, and its connections with it
    }
    return done.future();
  }

  /** Marks its connection busy on every read and write, and leaves the set when it closes. */
  private final class Busy extends ChannelDuplexHandler {
    private final Channel channel;
    private int quietSweeps;

    private Busy(Channel channel) {
      this.channel = channel;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      quietSweeps = 0;
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      quietSweeps = 0;
      ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      open.remove(this);
      ctx.fireChannelInactive();
    }
  }
}
