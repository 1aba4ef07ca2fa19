package dev.tapedeck.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * newman, Postman's command-line runner, installed from the npm registry into {@code
 * target/npm} the first time a test needs it (a clean clone needs only node and npm).
 */
final class Newman {
  private Newman() {}

  static synchronized Path install() throws Exception {
    Path prefix = Path.of("target", "npm").toAbsolutePath();
    Path bin = prefix.resolve("node_modules/.bin/newman");
    if (Files.isExecutable(bin)) {
      return bin;
    }
    Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), "newman@6")
        .redirectErrorStream(true).start();
    String out = new String(npm.getInputStream().readAllBytes());
    if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0 || !Files.isExecutable(bin)) {
      throw new IllegalStateException("npm install newman failed:\n" + out);
    }
    return bin;
  }
}
