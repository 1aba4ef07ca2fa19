package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a session's proxy checks and presents certificates on TLS connections to upstreams. By
 * default an upstream's certificate is verified against the JDK's trusted roots and its host name.
 *
 * @param insecureSkipVerify accept any upstream certificate (never the default)
 * @param caPem one or more PEM certificates trusted in addition to the JDK's roots
 * @param clientCertPem the certificate chain (PEM) presented when an upstream asks for one
 * @param clientKeyPem the private key of {@code clientCertPem} (PEM, PKCS#8 or PKCS#1); never
 *     shown back by the API
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamTls(
    Boolean insecureSkipVerify, String caPem, String clientCertPem, String clientKeyPem) {
  public static final UpstreamTls DEFAULT = new UpstreamTls(false, null, null, null);

  public UpstreamTls {
    insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
  }

  /** Whether anything differs from the default verification. */
  public boolean customized() {
    return insecureSkipVerify || caPem != null || clientCertPem != null;
  }

  /** This setting as the API shows it: the client key replaced by a marker. */
  public UpstreamTls redacted() {
    return new UpstreamTls(insecureSkipVerify, caPem, clientCertPem, clientKeyPem == null ? null : "(set)");
  }
}
