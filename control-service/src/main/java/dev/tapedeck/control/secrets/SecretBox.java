package dev.tapedeck.control.secrets;

import dev.tapedeck.control.auth.DataFolder;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Encrypts secret config values (upstream client keys, proxy passwords, secret header values)
 * before they reach MongoDB, with AES-256-GCM and a random 96-bit nonce per value. The key is
 * the SHA-256 of the text in {@code tapedeck.secrets.key-file} (a mounted Secret in the chart), or
 * of {@code secrets.key} in the data folder, generated on first start with owner-only permissions.
 *
 * <p>A sealed value reads {@code enc:v1:<base64 nonce+ciphertext+tag>}. A value without that
 * prefix (stored before encryption existed) opens as itself and is sealed on its next save.
 */
@Startup
@ApplicationScoped
public class SecretBox {
  private static final Logger LOG = Logger.getLogger(SecretBox.class);
  static final String PREFIX = "enc:v1:";
  static final String FILE_NAME = "secrets.key";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int MIN_KEY_TEXT = 32;
  private static final byte[] AAD = "tapedeck-secret-v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  @Inject
  public SecretBox(
      DataFolder dataFolder, @ConfigProperty(name = "tapedeck.secrets.key-file") Optional<String> keyFile) {
    Path file = keyFile.filter(s -> !s.isBlank()).map(Path::of).orElse(dataFolder.path().resolve(FILE_NAME));
    this.key = new SecretKeySpec(sha256(loadOrCreate(file, keyFile.filter(s -> !s.isBlank()).isPresent())), "AES");
  }

  /** A box with the key derived from {@code keyText}; for tests. */
  SecretBox(String keyText) {
    this.key = new SecretKeySpec(sha256(keyText), "AES");
  }

  /** {@code plain} encrypted; null and already sealed values pass unchanged. */
  public String seal(String plain) {
    if (plain == null || plain.startsWith(PREFIX)) {
      return plain;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(AAD);
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return PREFIX
          + Base64.getEncoder()
              .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The plain value of {@code stored}; a value stored before encryption existed is returned as is.
   *
   * @throws IllegalStateException if the value was sealed with another key (the key file changed)
   */
  public String open(String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(AAD);
      return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // Never the value itself in the message.
      throw new IllegalStateException(
          "A stored secret does not decrypt with the configured key (tapedeck.secrets.key-file changed?)");
    }
  }

  private static String loadOrCreate(Path file, boolean configured) {
    try {
      if (Files.exists(file)) {
        String text = Files.readString(file).trim();
        if (text.length() < MIN_KEY_TEXT) {
          throw new IllegalStateException(
              "The secrets key in " + file + " is shorter than " + MIN_KEY_TEXT + " characters");
        }
        return text;
      }
      if (configured) {
        throw new IllegalStateException("tapedeck.secrets.key-file names " + file + ", which does not exist");
      }
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      String generated = "tdsk_" + HexFormat.of().formatHex(bytes);
      Files.createDirectories(file.getParent());
      Files.writeString(file, generated + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system; the file keeps the platform's default permissions.
      }
      LOG.infof("Generated the key that encrypts stored secrets in %s", file);
      return generated;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read or write the secrets key at " + file, e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
