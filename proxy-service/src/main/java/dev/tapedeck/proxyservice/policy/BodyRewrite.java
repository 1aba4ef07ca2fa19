package dev.tapedeck.proxyservice.policy;

import dev.tapedeck.content.ContentCodings;
import dev.tapedeck.content.DecodedContent;
import dev.tapedeck.content.MediaTypes;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Runs body replacements on a whole body as it travels: the content coding (gzip, deflate, br,
 * zstd, stacked) is undone, the text replaced, and the same coding applied again, so the client
 * or upstream gets a body its Content-Encoding still describes. Text is read as UTF-8.
 *
 * <p>Bounded on every side (docs/limits.md): a body is buffered for a rewrite only up to {@code
 * tapedeck.rewrite.max-body-bytes} (a larger one passes unchanged, streamed); the replacement runs
 * on a small pool of rewrite workers, never on the event loop, with at most {@code
 * tapedeck.rewrite.queue} bodies waiting (when full, the body passes unchanged); and the rules get
 * {@code tapedeck.rewrite.time-budget} per body. Every skip is said in the entry ({@code
 * flags.rewriteSkipped}) and counted ({@code tapedeck_proxy_rewrite_skipped_total}).
 */
public final class BodyRewrite {
  private static final Logger LOG = Logger.getLogger(BodyRewrite.class);

  /** The rewrite limits, from the proxy's configuration with these defaults. */
  public record Limits(long maxBodyBytes, int workers, int queue, Duration timeBudget) {
    /** The defaults, as in application.properties. */
    public static final Limits DEFAULTS = new Limits(1024 * 1024, 2, 16, Duration.ofSeconds(2));

    public Limits {
      if (maxBodyBytes < 0 || workers < 1 || queue < 0 || timeBudget.isNegative()) {
        throw new IllegalArgumentException(
            "tapedeck.rewrite.*: max-body-bytes and queue must be 0 or more, workers at least 1, time-budget not negative");
      }
    }
  }

  /**
   * What a rewrite did.
   *
   * @param changed the rewritten body in its original coding; null when nothing changed or it was
   *     skipped
   * @param skipped why the replacements did not run, null when they did
   */
  public record Outcome(byte[] changed, String skipped) {
    static Outcome skip(String why) {
      return new Outcome(null, why);
    }
  }

  // The defaults until RewriteSettings applies the configuration at startup (before any listener).
  private static volatile Limits limits = Limits.DEFAULTS;
  private static volatile ThreadPoolExecutor workers = workers(limits);

  private BodyRewrite() {}

  private static ThreadPoolExecutor workers(Limits l) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            l.workers(),
            l.workers(),
            30,
            TimeUnit.SECONDS,
            l.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(l.queue()),
            r -> {
              Thread t = new Thread(r, "tapedeck-body-rewrite-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** The limits in force. */
  public static Limits limits() {
    return limits;
  }

  /** Replaces the limits and the worker pool: at startup from the configuration, and in tests. */
  public static synchronized void useLimits(Limits l) {
    ThreadPoolExecutor old = workers;
    limits = l;
    workers = workers(l);
    old.shutdown();
  }

  /** Whether a body of this type and coding can be rewritten at all (text, a coding we can undo). */
  public static boolean rewritable(String contentType, String contentEncoding) {
    return MediaTypes.isText(contentType)
        && (contentEncoding == null || contentEncoding.isBlank() || ContentCodings.supports(contentEncoding));
  }

  /** Whether a declared Content-Length is over the rewrite limit (or unreadable); false when absent. */
  public static boolean overLimit(String contentLength) {
    if (contentLength == null) {
      return false;
    }
    try {
      return Long.parseLong(contentLength.trim()) > limits.maxBodyBytes();
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** Why a body over the limit passed unchanged, for the entry. */
  public static String overLimitReason(boolean request) {
    counted("size");
    return (request ? "request" : "response")
        + " body over the rewrite limit of "
        + limits.maxBodyBytes()
        + " bytes; passed unchanged";
  }

  /**
   * Rewrites {@code raw} on a rewrite worker; the future completes on the caller's Vert.x context.
   * It never fails: a full queue, a spent time budget or a broken rule give an outcome that says
   * why the body passes unchanged.
   */
  public static Future<Outcome> submit(byte[] raw, String contentEncoding, Modifier mod, boolean request) {
    return submit(raw, null, contentEncoding, mod, request);
  }

  /**
   * As {@link #submit(byte[], String, Modifier, boolean)}, reading and writing the text in the
   * charset {@code contentType} declares (UTF-8 when it declares none), so a latin-1 body keeps
   * its bytes where no rule matched.
   */
  public static Future<Outcome> submit(
      byte[] raw, String contentType, String contentEncoding, Modifier mod, boolean request) {
    java.nio.charset.Charset charset = dev.tapedeck.content.ContentType.parse(contentType).charset();
    Context context = Vertx.currentContext();
    Promise<Outcome> promise = Promise.promise();
    String side = request ? "request" : "response";
    Limits l = limits;
    try {
      workers.execute(
          () -> {
            Outcome outcome = run(raw, charset, contentEncoding, mod, request, side, l);
            if (context != null) {
              context.runOnContext(v -> promise.complete(outcome));
            } else {
              promise.complete(outcome);
            }
          });
    } catch (RejectedExecutionException e) {
      counted("busy");
      promise.complete(Outcome.skip(side + " body rewrite skipped: all rewrite workers busy; passed unchanged"));
    }
    return promise.future();
  }

  private static Outcome run(
      byte[] raw, java.nio.charset.Charset charset, String encoding, Modifier mod, boolean request, String side, Limits l) {
    long deadline = System.nanoTime() + l.timeBudget().toNanos();
    try {
      return new Outcome(rewrite(raw, charset, encoding, t -> mod.replaceBody(t, request, deadline), l), null);
    } catch (TimeBoxedText.Expired e) {
      counted("time");
      return Outcome.skip(
          side + " body rewrite skipped: rules ran past the " + l.timeBudget().toMillis() + " ms budget; passed unchanged");
    } catch (RuntimeException e) {
      counted("error");
      LOG.debugf(e, "A %s body rewrite failed", side);
      return Outcome.skip(side + " body rewrite skipped: " + e.getMessage() + "; passed unchanged");
    }
  }

  /** Counts a skipped rewrite by reason (busy, time, size, error). */
  public static void counted(String reason) {
    Metrics.counter("tapedeck.proxy.rewrite.skipped", "reason", reason).increment();
  }

  /** The rewritten body in its original coding, or null when nothing changed. */
  public static byte[] rewrite(byte[] raw, String contentEncoding, UnaryOperator<String> replace) {
    return rewrite(raw, StandardCharsets.UTF_8, contentEncoding, replace, limits);
  }

  private static byte[] rewrite(
      byte[] raw, java.nio.charset.Charset charset, String contentEncoding, UnaryOperator<String> replace, Limits l) {
    DecodedContent decoded = ContentCodings.decode(raw, contentEncoding, false, (int) Math.min(Integer.MAX_VALUE - 8, l.maxBodyBytes() * 8));
    if (!decoded.decoded() || !decoded.complete()) {
      return null;
    }
    String text = new String(decoded.bytes(), charset);
    String replaced = replace.apply(text);
    if (replaced.equals(text)) {
      return null;
    }
    byte[] plain = replaced.getBytes(charset);
    return decoded.wasEncoded() ? ContentCodings.encode(plain, contentEncoding) : plain;
  }
}
