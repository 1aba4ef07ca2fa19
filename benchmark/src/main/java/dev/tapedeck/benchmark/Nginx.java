package dev.tapedeck.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * nginx started by the benchmark from its own prefix in a temporary folder, one worker per core, as
 * a child process stopped on close. Two roles: the upstream every target is measured against (static
 * payload files, {@link #fileServer}), and the yardstick, a plain reverse proxy to that upstream
 * ({@link #reverseProxy}: keep-alive both ways, no buffering to disk), which issue 15 reads the
 * proxy's figures against. Absent when no nginx binary is installed ({@code make bench} installs
 * the Debian package).
 */
final class Nginx implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path prefix;

  private Nginx(Process process, int port, Path prefix) {
    this.process = process;
    this.port = port;
    this.prefix = prefix;
  }

  /** The nginx binary: on PATH, or where Debian puts it. */
  static Optional<Path> binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nginx");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    Path debian = Path.of("/usr/sbin/nginx");
    return Files.isExecutable(debian) ? Optional.of(debian) : Optional.empty();
  }

  /** nginx on a free loopback port, proxying everything to {@code upstreamPort}. */
  static Nginx reverseProxy(Path nginx, int upstreamPort) throws IOException, InterruptedException {
    return start(
        nginx,
        "upstream payload { server 127.0.0.1:" + upstreamPort + "; keepalive 64; }",
        """
        location / {
          proxy_pass http://payload;
          proxy_http_version 1.1;
          proxy_set_header Connection "";
          proxy_buffering off;
        }
        """);
  }

  /**
   * nginx on a free loopback port serving {@code GET /payload-N.bin}: N bytes of {@link Payloads#json}, for each N of
   * {@code sizes}, as {@code application/octet-stream}, from files it reads once into the page cache.
   */
  static Nginx fileServer(Path nginx, Iterable<Integer> sizes) throws IOException, InterruptedException {
    // nginx's workers drop root for an unprivileged user: the files and their folder are world-readable.
    Path root =
        Files.createTempDirectory(
            "tapedeck-bench-payloads", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    for (int size : sizes) {
      Path file = root.resolve(payloadPath(size).substring(1));
      Files.write(file, Payloads.json(size));
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    root.toFile().deleteOnExit();
    return start(
        nginx,
        "",
        "location / { root " + root + "; default_type application/octet-stream; }");
  }

  /** The path {@link #fileServer} and {@link PayloadUpstream} answer {@code size} bytes on. */
  static String payloadPath(int size) {
    return "/payload-" + size + ".bin";
  }

  private static Nginx start(Path nginx, String httpBlock, String serverBlock)
      throws IOException, InterruptedException {
    int port = ChildListeners.freePort();
    Path prefix = Files.createTempDirectory("tapedeck-bench-nginx");
    Files.createDirectories(prefix.resolve("logs"));
    String conf =
        String.format(
            Locale.ROOT,
            """
            worker_processes %d;
            pid %s/nginx.pid;
            error_log %s/logs/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              keepalive_requests 1000000;
              client_body_temp_path %s/client_body;
              proxy_temp_path %s/proxy;
              %s
              server {
                listen 127.0.0.1:%d backlog=4096;
                %s
              }
            }
            """,
            Runtime.getRuntime().availableProcessors(),
            prefix,
            prefix,
            prefix,
            prefix,
            httpBlock,
            port,
            serverBlock);
    Path confFile = prefix.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Process process =
        new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString(), "-g", "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    if (ChildListeners.awaitListening(process, port, Duration.ofSeconds(10))) {
      return new Nginx(process, port, prefix);
    }
    if (!process.isAlive()) {
      throw new IOException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
    }
    process.destroyForcibly();
    throw new IOException("nginx did not listen on " + port + " within 10 s");
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  @Override
  public void close() {
    ChildListeners.stop(process);
    prefix.toFile().deleteOnExit();
  }
}
