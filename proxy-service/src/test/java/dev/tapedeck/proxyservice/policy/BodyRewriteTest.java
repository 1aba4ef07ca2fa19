package dev.tapedeck.proxyservice.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.policy.BodyReplacement;
import dev.tapedeck.policy.Modifications;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rewrite workers: bounded, off the caller's thread, and every skip says why. */
class BodyRewriteTest {
  private static final Modifier SLOW =
      new Modifier(new Modifications(null, null, null, List.of(new BodyReplacement("(.*a){12}c", "x", true, null))));

  @AfterEach
  void defaults() {
    BodyRewrite.useLimits(BodyRewrite.Limits.DEFAULTS);
  }

  private static BodyRewrite.Outcome await(io.vertx.core.Future<BodyRewrite.Outcome> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullQueuePassesTheBodyUnchangedAndSaysWhy() throws Exception {
    BodyRewrite.useLimits(new BodyRewrite.Limits(8 << 20, 1, 1, Duration.ofMillis(500)));
    byte[] slow = "a".repeat(4 << 20).getBytes(StandardCharsets.UTF_8);
    var running = BodyRewrite.submit(slow, null, SLOW, false);
    var queued = BodyRewrite.submit(slow, null, SLOW, false);
    BodyRewrite.Outcome rejected = await(BodyRewrite.submit(slow, null, SLOW, false));

    assertThat(rejected.changed()).isNull();
    assertThat(rejected.skipped()).contains("rewrite workers busy");
    assertThat(await(running).skipped()).contains("500 ms budget");
    assertThat(await(queued).skipped()).contains("500 ms budget");
  }

  @Test
  void aRewriteWithinItsBudgetChangesTheBody() throws Exception {
    Modifier plain =
        new Modifier(new Modifications(null, null, null, List.of(new BodyReplacement("tapedeck", "TD", false, null))));
    BodyRewrite.Outcome o = await(BodyRewrite.submit("hi tapedeck".getBytes(StandardCharsets.UTF_8), null, plain, false));
    assertThat(o.skipped()).isNull();
    assertThat(new String(o.changed(), StandardCharsets.UTF_8)).isEqualTo("hi TD");
  }

  @Test
  void aLatin1BodyIsRewrittenInItsCharsetAndKeepsItsOtherBytes() throws Exception {
    Modifier plain =
        new Modifier(new Modifications(null, null, null, List.of(new BodyReplacement("Zürich", "Genève", false, null))));
    byte[] latin1 = "café;Zürich;ß".getBytes(StandardCharsets.ISO_8859_1);
    BodyRewrite.Outcome o =
        await(BodyRewrite.submit(latin1, "text/csv; charset=iso-8859-1", null, plain, false));
    assertThat(o.changed()).isEqualTo("café;Genève;ß".getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void declaredLengthsOverTheLimitAreNotBuffered() {
    assertThat(BodyRewrite.overLimit("1048576")).isFalse();
    assertThat(BodyRewrite.overLimit("1048577")).isTrue();
    assertThat(BodyRewrite.overLimit("nonsense")).isTrue();
    assertThat(BodyRewrite.overLimit(null)).isFalse();
  }
}
