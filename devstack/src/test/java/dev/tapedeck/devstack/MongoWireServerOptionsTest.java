package dev.tapedeck.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options of the JVM that hosts the store: a heap cap, and a Netty that need not zero buffers. */
class MongoWireServerOptionsTest {

  @Test
  void unsafeIsAllowedOutLoudOnlyWhereTheJdkKnowsTheOption() {
    assertThat(MongoWireServer.jvmOptions(21))
        .contains("-Xmx384m", "-XX:+UseSerialGC", "-Dio.netty.noUnsafe=false", "--add-opens=java.base/java.nio=ALL-UNNAMED")
        .doesNotContain("--sun-misc-unsafe-memory-access=allow");
    assertThat(MongoWireServer.jvmOptions(25)).contains("--sun-misc-unsafe-memory-access=allow");
  }

  @Test
  void theStoresNettyAllocatesDirectBuffersWithoutZeroingThem() throws Exception {
    // A JVM started with the options, asked what Netty can do there.
    assertThat(NettyReport.in(MongoWireServer.JVM_OPTIONS)).contains("unsafe=true noCleaner=true").doesNotContain("WARNING");
  }

  /** Prints what Netty found in this JVM. */
  public static final class NettyReport {
    /** What Netty finds in a JVM started with {@code jvmOptions} (and this one's class path). */
    static String in(List<String> jvmOptions) throws Exception {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElseThrow());
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), NettyReport.class.getName()));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(output).isZero();
      return output;
    }

    public static void main(String[] args) throws ReflectiveOperationException {
      // Netty says whether it may skip zeroing heap arrays only inside its own package.
      Method uninitialized =
          Class.forName("io.netty.util.internal.PlatformDependent0").getDeclaredMethod("hasAllocateArrayMethod");
      uninitialized.setAccessible(true);
      System.out.println(
          "unsafe=" + PlatformDependent.hasUnsafe() + " noCleaner=" + PlatformDependent.useDirectBufferNoCleaner()
              + " uninitializedArrays=" + uninitialized.invoke(null));
    }
  }
}
