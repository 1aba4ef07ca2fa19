package dev.tapedeck.cli.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment {@code tapedeck run} gives its command: the user's, plus the proxy variables
 * pointing at the session and, with {@code --mitm}, the variables that make common clients trust the
 * Tapedeck CA.
 *
 * <ul>
 *   <li>{@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code http_proxy}, {@code https_proxy}: the
 *       session's proxy URL (curl, wget, Python, Go, Ruby, ... read one spelling or the other; curl
 *       reads only the lower-case {@code http_proxy}).
 *   <li>{@code NO_PROXY} / {@code no_proxy}: left as the user set them, unless {@code --no-proxy}
 *       gives a value (then both spellings get it; an empty value proxies everything).
 *   <li>{@code JAVA_TOOL_OPTIONS}: the user's options, then {@code -Dhttp(s).proxyHost/Port} (and
 *       {@code http.nonProxyHosts} from the no-proxy list, JVM syntax), and with {@code --mitm} the
 *       PKCS12 trust store.
 *   <li>with {@code --mitm}: {@code SSL_CERT_FILE}, {@code REQUESTS_CA_BUNDLE}, {@code
 *       CURL_CA_BUNDLE} (the system bundle plus the CA), {@code NODE_EXTRA_CA_CERTS} (the CA).
 *   <li>{@code TAPEDECK_SESSION_ID} and {@code TAPEDECK_PROXY_URL}, for scripts that want them.
 * </ul>
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  /**
   * @param user the environment the CLI was started with
   * @param proxyUrl {@code http://host:port} of the session
   * @param noProxy the {@code --no-proxy} value, or null to keep the user's
   * @param trust the trust files with {@code --mitm}, else null
   */
  public static Map<String, String> build(
      Map<String, String> user, String sessionId, String proxyUrl, String noProxy, TrustFiles trust) {
    Map<String, String> env = new LinkedHashMap<>(user);
    for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
      env.put(name, proxyUrl);
    }
    if (noProxy != null) {
      env.put("NO_PROXY", noProxy);
      env.put("no_proxy", noProxy);
    }
    String effectiveNoProxy = env.getOrDefault("NO_PROXY", env.get("no_proxy"));
    env.put("TAPEDECK_SESSION_ID", sessionId);
    env.put("TAPEDECK_PROXY_URL", proxyUrl);

    java.net.URI proxy = java.net.URI.create(proxyUrl);
    List<String> jvm = new ArrayList<>();
    String userOptions = user.get("JAVA_TOOL_OPTIONS");
    if (userOptions != null && !userOptions.isBlank()) {
      jvm.add(userOptions.trim());
    }
    String host = proxy.getHost().startsWith("[") ? proxy.getHost().substring(1, proxy.getHost().length() - 1) : proxy.getHost();
    jvm.add("-Dhttp.proxyHost=" + host);
    jvm.add("-Dhttp.proxyPort=" + proxy.getPort());
    jvm.add("-Dhttps.proxyHost=" + host);
    jvm.add("-Dhttps.proxyPort=" + proxy.getPort());
    String nonProxyHosts = jvmNonProxyHosts(effectiveNoProxy);
    if (nonProxyHosts != null) {
      jvm.add("-Dhttp.nonProxyHosts=" + nonProxyHosts);
    } else if (noProxy != null) {
      // --no-proxy "": the JVM's default (localhost|127.*|[::1]) would still bypass the proxy
      jvm.add("-Dhttp.nonProxyHosts=");
    }
    if (trust != null) {
      env.put("SSL_CERT_FILE", trust.bundle().toString());
      env.put("REQUESTS_CA_BUNDLE", trust.bundle().toString());
      env.put("CURL_CA_BUNDLE", trust.bundle().toString());
      env.put("NODE_EXTRA_CA_CERTS", trust.caPem().toString());
      jvm.add("-Djavax.net.ssl.trustStore=" + trust.trustStore());
      jvm.add("-Djavax.net.ssl.trustStoreType=PKCS12");
      jvm.add("-Djavax.net.ssl.trustStorePassword=" + trust.trustStorePassword());
    }
    env.put("JAVA_TOOL_OPTIONS", String.join(" ", jvm));
    return env;
  }

  /**
   * A {@code NO_PROXY} list ({@code localhost,.example.com,10.0.0.1}) in the JVM's {@code
   * http.nonProxyHosts} syntax ({@code localhost|*.example.com|10.0.0.1}); null when there is none.
   * An entry with a space or a {@code |} cannot be written into {@code JAVA_TOOL_OPTIONS} and is
   * left out.
   */
  static String jvmNonProxyHosts(String noProxy) {
    if (noProxy == null || noProxy.isBlank()) {
      return null;
    }
    List<String> hosts = new ArrayList<>();
    for (String raw : noProxy.split(",")) {
      String host = raw.trim();
      if (host.isEmpty() || host.contains(" ") || host.contains("|") || host.contains("\"")) {
        continue;
      }
      if (host.equals("*")) {
        hosts.add("*");
        continue;
      }
      int colon = host.lastIndexOf(':');
      if (colon > 0 && host.indexOf(':') == colon) {
        host = host.substring(0, colon); // JVM patterns have no ports
      }
      hosts.add(host.startsWith(".") ? "*" + host : host);
    }
    return hosts.isEmpty() ? null : String.join("|", hosts);
  }
}
