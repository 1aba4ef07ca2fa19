package dev.tapedeck.benchmark;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * nginx as a plain reverse proxy to the benchmark's upstream: the yardstick the proxy's figures are
 * read against (issue 15 asks for ratios to it). Keep-alive both ways, no buffering to disk, one
 * worker per core, its own prefix in a temporary folder; started as a child process and stopped on
 * close. Absent when no nginx binary is installed ({@code make bench} installs the Debian package).
 */
final class NginxProxy implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path prefix;

  private NginxProxy(Process process, int port, Path prefix) {
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

  /** nginx listening on a free loopback port, proxying everything to {@code upstreamPort}. */
  static NginxProxy start(Path nginx, int upstreamPort) throws IOException, InterruptedException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path prefix = Files.createTempDirectory("tapedeck-bench-nginx");
    Files.createDirectories(prefix.resolve("logs"));
    String conf =
        String.format(
            Locale.ROOT,
            """
            worker_processes %d;
            pid %s/nginx.pid;
            error_log %s/logs/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path %s/client_body;
              proxy_temp_path %s/proxy;
              upstream payload { server 127.0.0.1:%d; keepalive 64; }
              server {
                listen 127.0.0.1:%d;
                location / {
                  proxy_pass http://payload;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_buffering off;
                }
              }
            }
            """,
            Runtime.getRuntime().availableProcessors(),
            prefix,
            prefix,
            prefix,
            prefix,
            upstreamPort,
            port);
    Path confFile = prefix.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Process process =
        new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", confFile.toString(), "-g", "daemon off;")
            .redirectErrorStream(true)
            .redirectOutput(prefix.resolve("logs/stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout.log")));
      }
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return new NginxProxy(process, port, prefix);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    process.destroyForcibly();
    throw new IOException("nginx did not listen on " + port + " within 10 s");
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
    prefix.toFile().deleteOnExit();
  }
}
