package dev.tapedeck.devstack;

import java.nio.file.Path;
import java.util.Optional;

/** The text {@code make run} prints once everything is up: where things are, and what to type. */
public final class Walkthrough {
  private Walkthrough() {}

  /**
   * Renders the walkthrough.
   *
   * @param layout the running system
   * @param key the admin key, if control-service has written it
   * @param demoUrl the demo upstream, e.g. {@code http://localhost:5780}
   */
  public static String render(StackLayout layout, Optional<String> key, String demoUrl) {
    String api = "http://localhost:" + layout.httpPort(Service.CONTROL);
    Path keyFile = layout.adminKeyFile();
    boolean auth = layout.authEnabled();
    String bearer = auth ? " -H \"Authorization: Bearer $KEY\"" : "";
    StringBuilder out = new StringBuilder();
    out.append("\nTapedeck is running.\n\n");
    out.append("  API:            ").append(api).append('\n');
    out.append("  Web UI:         ").append(api).append("/ui/ (asks for the admin key)\n");
    out.append("  Demo upstream:  ").append(demoUrl).append('\n');
    out.append("  Data folder:    ").append(layout.dataDir()).append('\n');
    out.append("  Logs:           ").append(layout.dataDir().resolve("logs")).append('\n');
    out.append("  Kafka:          ").append(layout.kafkaBootstrap()).append('\n');
    out.append("  MongoDB:        ").append(layout.mongoUri()).append('\n');
    if (auth) {
      out.append("  Admin key file: ").append(keyFile).append('\n');
      out.append("  Admin key:      ")
          .append(key.orElse("(not written yet; control-service writes it on first start)"))
          .append('\n');
    } else {
      out.append("  Auth:           OFF (--no-auth): the API accepts requests without a key\n");
    }
    out.append("  Egress:         local development policy: sessions may reach loopback and private\n")
        .append("                  addresses and CONNECT any port; link-local (169.254.0.0/16, cloud\n")
        .append("                  metadata) stays refused. A cluster install refuses all of these\n")
        .append("                  (docs/security.md#egress-policy).\n");
    out.append("\nTry it:\n\n");
    if (auth) {
      out.append("  KEY=$(cat ").append(keyFile).append(")\n");
    }
    out.append("  SESSION=$(curl -s -X POST ")
        .append(api)
        .append("/api/v1/recorder/start")
        .append(bearer)
        .append(" -H 'Content-Type: application/json' -d '{\"mode\":\"reverse\",\"targetUrl\":\"")
        .append(demoUrl)
        .append("\"}')\n");
    out.append("  echo \"$SESSION\"\n");
    out.append("  ID=$(echo \"$SESSION\" | grep -o '\"id\":\"[^\"]*\"' | cut -d'\"' -f4)\n");
    out.append("  PORT=$(echo \"$SESSION\" | grep -o '\"listenPort\":[0-9]*' | cut -d: -f2)\n");
    out.append("  curl -s \"http://localhost:$PORT/hello?name=tapedeck\"\n");
    out.append("  sleep 2   # the exchange travels proxy -> Kafka -> storage\n");
    out.append("  curl -s")
        .append(bearer)
        .append(' ')
        .append(api)
        .append("/api/v1/recorder/sessions\n");
    out.append("  curl -s")
        .append(bearer)
        .append(" \"")
        .append(api)
        .append("/api/v1/recorder/$ID/entries\"\n");
    out.append("  curl -s -X POST")
        .append(bearer)
        .append(" \"")
        .append(api)
        .append("/api/v1/recorder/$ID/export\" -o session.har\n");
    out.append("\nCtrl+C stops everything.\n");
    return out.toString();
  }
}
