package dev.tapedeck.proxyservice.proxy.impl;

import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per test JVM with the JDK's
 * {@code keytool} (Vert.x's {@code SelfSignedCertificate} needs BouncyCastle's PKIX jar on recent
 * JDKs, which the proxy does not otherwise need).
 */
final class TestKeyStore {
  private static final String PASSWORD = "changeit";
  private static Path file;

  private TestKeyStore() {}

  static synchronized PfxOptions options() throws IOException, InterruptedException {
    if (file == null) {
      Path dir = Files.createTempDirectory("tapedeck-proxy-test");
      Path store = dir.resolve("upstream.p12");
      Process keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                  "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                  "-storetype", "PKCS12", "-keystore", store.toString(),
                  "-storepass", PASSWORD, "-keypass", PASSWORD)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
        keytool.destroyForcibly();
        throw new IOException("keytool could not make a test certificate");
      }
      store.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      file = store;
    }
    return new PfxOptions().setPath(file.toString()).setPassword(PASSWORD);
  }
}
