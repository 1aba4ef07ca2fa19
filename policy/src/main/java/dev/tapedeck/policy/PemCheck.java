package dev.tapedeck.policy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks PEM texts before a proxy has to load them, so a bad one is refused at the API. */
final class PemCheck {
  private static final Pattern KEY =
      Pattern.compile(
          "-----BEGIN (PRIVATE KEY|RSA PRIVATE KEY|EC PRIVATE KEY)-----\\s*[A-Za-z0-9+/=\\s]+-----END \\1-----\\s*");

  private PemCheck() {}

  /** Why {@code pem} is not one or more X.509 certificates, or empty if it is. */
  static Optional<String> certificates(String pem) {
    if (pem.length() > PolicyValidator.MAX_PEM_CHARS) {
      return Optional.of("must be at most " + PolicyValidator.MAX_PEM_CHARS + " characters");
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      return Optional.of("must hold PEM certificates (-----BEGIN CERTIFICATE-----)");
    }
    try {
      var certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      return certificates.isEmpty() ? Optional.of("holds no certificate") : Optional.empty();
    } catch (CertificateException e) {
      return Optional.of("is not a valid PEM certificate: " + e.getMessage());
    }
  }

  /** Why {@code pem} is not a single PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC). */
  static Optional<String> privateKey(String pem) {
    if (pem.length() > PolicyValidator.MAX_PEM_CHARS) {
      return Optional.of("must be at most " + PolicyValidator.MAX_PEM_CHARS + " characters");
    }
    return KEY.matcher(pem.strip() + "\n").matches()
        ? Optional.empty()
        : Optional.of("must be one PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }
}
