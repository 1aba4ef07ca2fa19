package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.SelfSignedTls;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Secrets in a session config (the upstream client key, an upstream proxy password, header values
 * marked secret) are write-only: every answer and export shows {@code "(set)"}, MongoDB holds
 * them encrypted, and the proxy still uses the real values (here: mutual TLS to an upstream that
 * admits only the configured client certificate, and a secret header the upstream checks).
 */
class WriteOnlySecretsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String HEADER_SECRET = "Bearer sk_live_e2e_header_secret";
  private static final String PROXY_PASSWORD = "hunter2-proxy-password";

  @Test
  void secretsReadAsSetEverywhereAreEncryptedInMongoAndStillReachTheUpstream() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient api = ApiClient.admin(system);
    SelfSignedTls server = SelfSignedTls.create();
    SelfSignedTls client = SelfSignedTls.create();
    String clientKey = client.privateKeyPem();
    // A line from the middle of the key: it must appear in no answer and no stored document.
    String keyLine = clientKey.lines().skip(1).findFirst().orElseThrow();
    try (UpstreamServer upstream =
            UpstreamServer.startMutualTls(server, client)
                .route("GET", "/whoami", req -> UpstreamResponse.json(
                    HEADER_SECRET.equals(req.header("Authorization").orElse("")) ? 200 : 401, "{\"mtls\":true}"));
        MongoClient mongo = MongoClients.create(system.mongoUri())) {
      Map<String, Object> config =
          Map.of(
              "name", "e2e-secrets",
              "targetUrl", "https://127.0.0.1:" + upstream.port(),
              "upstreamTls", Map.of(
                  "caPem", server.certificatePem(),
                  "clientCertPem", client.certificatePem(),
                  "clientKeyPem", clientKey),
              "modifications", Map.of(
                  "requestHeaders", List.of(
                      Map.of("action", "add", "name", "Authorization", "value", HEADER_SECRET, "secret", true),
                      Map.of("action", "add", "name", "X-Visible", "value", "plain"))));
      JsonNode started = api.call("POST", "/api/v1/recorder/start", JSON.writeValueAsString(config), 201).get("session");
      String id = started.get("id").asText();
      int port = started.get("listenPort").asInt();

      // The proxy presents the real client key and sends the real header value.
      assertThat(get(port, "/whoami").statusCode()).isEqualTo(200);

      // Every view of the session.
      List<String> answers =
          List.of(
              started.toString(),
              api.call("GET", "/api/v1/recorder/" + id, null, 200).toString(),
              api.call("GET", "/api/v1/recorder/sessions", null, 200).toString(),
              api.call("GET", "/api/v1/recorder/" + id + "/modifications", null, 200).toString(),
              api.send("GET", "/q/openapi?format=json", null).body());
      JsonNode view = api.call("GET", "/api/v1/recorder/" + id, null, 200).get("session");
      assertThat(view.get("upstreamTls").get("clientKeyPem").asText()).isEqualTo("(set)");
      assertThat(view.get("upstreamTls").get("clientCertPem").asText()).contains("BEGIN CERTIFICATE");
      JsonNode rules = view.get("modifications").get("requestHeaders");
      assertThat(rules.get(0).get("value").asText()).isEqualTo("(set)");
      assertThat(rules.get(0).get("secret").asBoolean()).isTrue();
      assertThat(rules.get(1).get("value").asText()).isEqualTo("plain");

      // Sending the rules back as shown keeps the secret; the proxy still sends the real value.
      JsonNode put =
          api.call("PUT", "/api/v1/recorder/" + id + "/modifications",
              "{\"modifications\":" + view.get("modifications") + "}", 200);
      assertThat(put.get("modifications").get("requestHeaders").get(0).get("value").asText()).isEqualTo("(set)");
      Thread.sleep(1500); // the proxies take the new revision within a second
      assertThat(get(port, "/whoami").statusCode()).isEqualTo(200);

      // A PUT naming a secret it does not hold is refused with the field named.
      JsonNode refused =
          api.call("PUT", "/api/v1/recorder/" + id + "/modifications",
              "{\"modifications\":{\"requestHeaders\":[{\"action\":\"add\",\"name\":\"X-Other\",\"value\":\"(set)\",\"secret\":true}]}}",
              400);
      assertThat(refused.get("fields").findValuesAsText("field")).containsExactly("modifications.requestHeaders[0].value");

      // Saved configs: list and export show "(set)"; importing the export asks for the values.
      Map<String, Object> saved = new java.util.HashMap<>(config);
      saved.put("upstreamProxy", "http://proxyuser:" + PROXY_PASSWORD + "@127.0.0.1:3128");
      JsonNode savedView = api.call("POST", "/api/v1/recorder/configs", JSON.writeValueAsString(saved), 201);
      String configId = savedView.get("id").asText();
      assertThat(savedView.get("config").get("upstreamProxy").asText()).isEqualTo("http://proxyuser:(set)@127.0.0.1:3128");
      String list = api.call("GET", "/api/v1/recorder/configs", null, 200).toString();
      HttpResponse<String> export = api.send("GET", "/api/v1/recorder/configs/" + configId + "/export", null);
      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(export.body()).get("upstreamTls").get("clientKeyPem").asText()).isEqualTo("(set)");
      JsonNode reimport = api.call("POST", "/api/v1/recorder/configs/import", export.body(), 400);
      assertThat(reimport.get("fields").findValuesAsText("field"))
          .containsExactlyInAnyOrder(
              "upstreamTls.clientKeyPem", "upstreamProxy", "modifications.requestHeaders[0].value");

      for (String answer : concat(answers, List.of(savedView.toString(), list, export.body(), put.toString()))) {
        assertThat(answer).doesNotContain(keyLine, "sk_live_e2e_header_secret", PROXY_PASSWORD);
      }

      // MongoDB holds ciphertext only.
      var db = mongo.getDatabase("tapedeck");
      String sessionDoc = db.getCollection("sessions").find(Filters.eq("_id", id)).first().toJson();
      String configDoc = db.getCollection("configs").find(Filters.eq("_id", configId)).first().toJson();
      for (String doc : List.of(sessionDoc, configDoc)) {
        assertThat(doc).contains("enc:v1:").doesNotContain(keyLine, "sk_live_e2e_header_secret", PROXY_PASSWORD);
      }

      // After a restart the session runs with the stored (decrypted) secrets.
      api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
      JsonNode restarted = api.call("POST", "/api/v1/recorder/" + id + "/restart", null, 200).get("session");
      assertThat(get(restarted.get("listenPort").asInt(), "/whoami").statusCode()).isEqualTo(200);

      api.call("DELETE", "/api/v1/recorder/" + id, null, 200);
      api.call("DELETE", "/api/v1/recorder/configs/" + configId, null, 200);
      Document none = db.getCollection("sessions").find(Filters.eq("_id", id)).first();
      assertThat(none).isNull();
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
