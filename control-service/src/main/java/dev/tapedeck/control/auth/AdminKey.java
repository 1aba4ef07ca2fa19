package dev.tapedeck.control.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * The admin API key: generated on first start, kept in {@code admin-api-key} in the data folder
 * (owner-only permissions), read back on every later start.
 */
@Startup
@ApplicationScoped
public class AdminKey {
  private static final Logger LOG = Logger.getLogger(AdminKey.class);
  static final String FILE_NAME = "admin-api-key";

  private final byte[] key;
  private final Path file;

  public AdminKey(DataFolder dataFolder) {
    this.file = dataFolder.path().resolve(FILE_NAME);
    this.key = loadOrCreate(file).getBytes(StandardCharsets.UTF_8);
  }

  /** Where the key lives. */
  public Path file() {
    return file;
  }

  /** Constant-time comparison, so the key cannot be guessed byte by byte from response times. */
  public boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(key, candidate.getBytes(StandardCharsets.UTF_8));
  }

  private static String loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file).trim();
        if (!existing.isEmpty()) {
          return existing;
        }
      }
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String generated = "tdk_" + HexFormat.of().formatHex(random);
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          generated + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the file keeps the platform's default permissions.
      }
      LOG.infof("Generated the admin API key in %s", file);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the admin API key at " + file, e);
    }
  }
}
