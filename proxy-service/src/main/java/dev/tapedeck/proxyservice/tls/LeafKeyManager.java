package dev.tapedeck.proxyservice.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.function.IntFunction;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents, in each TLS handshake, a leaf certificate for the host the client asked for: the SNI
 * name, or (a client sends none for an IP address) the host of the {@code CONNECT} the connection
 * came from, looked up by the connection's peer port. The alias the JDK passes around is the host.
 */
public final class LeafKeyManager extends X509ExtendedKeyManager {
  private final InterceptionCa ca;
  private final IntFunction<String> hostByPeerPort;

  /**
   * @param hostByPeerPort the {@code CONNECT} host of the loopback connection from this peer port,
   *     or null
   */
  public LeafKeyManager(InterceptionCa ca, IntFunction<String> hostByPeerPort) {
    this.ca = ca;
    this.hostByPeerPort = hostByPeerPort;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    if (!"EC".equals(keyType)) {
      return null; // every leaf has an EC key
    }
    String host = requestedName(engine.getHandshakeSession());
    return host != null ? host : hostByPeerPort.apply(engine.getPeerPort());
  }

  private static String requestedName(SSLSession handshake) {
    if (handshake instanceof ExtendedSSLSession session) {
      for (SNIServerName name : session.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          return host.getAsciiName();
        }
      }
    }
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return alias == null ? null : ca.chainFor(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return alias == null ? null : ca.leafKey();
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null; // only engines (Netty) are served
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
