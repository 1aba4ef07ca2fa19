package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Mocks generated from a recording into the mock store, with the reference's options. */
class MocksIT {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void aSessionBecomesMocksThatBelongToTheirUser() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    ApiClient admin = ApiClient.admin(system);
    ApiClient carol =
        admin.withKey(admin.call("POST", "/api/v1/admin/users", "{\"name\":\"mocks-carol\"}", 201).get("apiKey").asText());
    ApiClient dave =
        admin.withKey(admin.call("POST", "/api/v1/admin/users", "{\"name\":\"mocks-dave\"}", 201).get("apiKey").asText());
    try (UpstreamServer upstream =
        UpstreamServer.start()
            .route("GET", "/pay/1", req -> UpstreamResponse.json(200, "{\"id\":1,\"state\":\"paid\"}"))
            .route("GET", "/pay/2", req -> UpstreamResponse.json(200, "{\"id\":2,\"state\":\"open\"}"))
            .route("POST", "/pay", req -> UpstreamResponse.json(201, "{\"id\":3}"))) {
      JsonNode session =
          carol.call("POST", "/api/v1/recorder/start", "{\"targetUrl\":\"" + upstream.url() + "\"}", 201).get("session");
      String id = session.get("id").asText();
      String base = "http://127.0.0.1:" + session.get("listenPort").asInt();
      send(HttpRequest.newBuilder(URI.create(base + "/pay/1")).build());
      send(HttpRequest.newBuilder(URI.create(base + "/pay/2")).build());
      send(HttpRequest.newBuilder(URI.create(base + "/pay")).POST(HttpRequest.BodyPublishers.ofString("{\"amount\":5}")).header("Content-Type", "application/json").build());
      carol.awaitEntryTotal(id, 3, Duration.ofSeconds(30));

      String body =
          "{\"namespace\":\"checkout\",\"prefix\":\"stripe-\",\"tags\":[\"stripe\",\"recorded\"],\"priority\":7,\"chainId\":\"flow-1\"}";
      JsonNode generated = carol.call("POST", "/api/v1/recorder/" + id + "/mocks", body, 200);
      assertThat(generated.get("created").asInt()).isEqualTo(3);
      assertThat(generated.get("mockIds")).allSatisfy(m -> assertThat(m.asText()).startsWith("stripe-"));

      JsonNode listed = carol.call("GET", "/api/v1/mocks?namespace=checkout", null, 200);
      assertThat(listed.get("total").asInt()).isEqualTo(3);
      JsonNode mock = listed.get("mocks").get(0);
      assertThat(mock.get("priority").asInt()).isEqualTo(7);
      assertThat(mock.get("chainId").asText()).isEqualTo("flow-1");
      assertThat(mock.get("tags").toString()).contains("stripe", "recorded");
      assertThat(mock.at("/definition/response/status").asInt()).isIn(200, 201);
      assertThat(mock.at("/definition/request/method").asText()).isIn("GET", "POST");

      // Again: the same ids are skipped unless forceUpdate.
      JsonNode again = carol.call("POST", "/api/v1/recorder/" + id + "/mocks", body, 200);
      assertThat(again.get("skipped").asInt()).isEqualTo(3);
      assertThat(again.get("created").asInt()).isZero();
      JsonNode forced =
          carol.call("POST", "/api/v1/recorder/" + id + "/mocks", body.replace("}", ",\"forceUpdate\":true}"), 200);
      assertThat(forced.get("updated").asInt()).isEqualTo(3);

      // The store exports as a WireMock mappings file.
      assertThat(carol.call("GET", "/api/v1/mocks/export?namespace=checkout", null, 200).get("mappings")).hasSize(3);

      // Another user sees none of them.
      String mockId = mock.get("id").asText();
      assertThat(dave.call("GET", "/api/v1/mocks", null, 200).get("total").asInt()).isZero();
      dave.call("GET", "/api/v1/mocks/" + mockId, null, 404);
      dave.call("DELETE", "/api/v1/mocks/" + mockId, null, 404);
      dave.call("POST", "/api/v1/recorder/" + id + "/mocks", "{}", 404);

      JsonNode bad = carol.call("POST", "/api/v1/recorder/" + id + "/mocks", "{\"namespace\":\"a b\",\"priority\":0}", 400);
      assertThat(bad.toString()).contains("namespace", "priority");

      carol.call("DELETE", "/api/v1/mocks/" + mockId, null, 200);
      assertThat(carol.call("GET", "/api/v1/mocks", null, 200).get("total").asInt()).isEqualTo(2);
      admin.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  @Test
  void mocksGoToTheSessionsNamespaceWhenNoneIsGiven() throws Exception {
    ApiClient admin = ApiClient.admin(TapedeckSystem.shared());
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/orders/7", req -> UpstreamResponse.json(200, "{\"id\":7}"))) {
      admin.call(
          "POST", "/api/v1/recorder/start",
          "{\"targetUrl\":\"" + upstream.url() + "\",\"namespace\":\"bad namespace\"}", 400);
      JsonNode session =
          admin.call(
                  "POST", "/api/v1/recorder/start",
                  "{\"targetUrl\":\"" + upstream.url() + "\",\"namespace\":\"orders-team\"}", 201)
              .get("session");
      String id = session.get("id").asText();
      send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/orders/7")).build());
      admin.awaitEntryTotal(id, 1, Duration.ofSeconds(30));

      JsonNode generated = admin.call("POST", "/api/v1/recorder/" + id + "/mocks", "{\"prefix\":\"ns-\"}", 200);
      assertThat(generated.get("created").asInt()).isEqualTo(1);
      JsonNode listed = admin.call("GET", "/api/v1/mocks?namespace=orders-team", null, 200);
      assertThat(listed.get("total").asInt()).isEqualTo(1);
      assertThat(listed.at("/mocks/0/definition/metadata/namespace").asText()).isEqualTo("orders-team");
      // A namespace given in the request still wins.
      admin.call("POST", "/api/v1/recorder/" + id + "/mocks", "{\"prefix\":\"ns2-\",\"namespace\":\"other\"}", 200);
      assertThat(admin.call("GET", "/api/v1/mocks?namespace=other", null, 200).get("total").asInt()).isEqualTo(1);
      for (JsonNode m : admin.call("GET", "/api/v1/mocks", null, 200).get("mocks")) {
        if (m.get("sessionId").asText().equals(id)) {
          admin.call("DELETE", "/api/v1/mocks/" + m.get("id").asText(), null, 200);
        }
      }
      admin.call("DELETE", "/api/v1/recorder/" + id, null, 200);
    }
  }

  private static void send(HttpRequest request) throws Exception {
    assertThat(CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isLessThan(300);
  }
}
