package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.TapedeckSystem;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Saved session configs: save, list, export, import, delete, the per-user limit and isolation. */
class SavedConfigsIT {

  @Test
  void savesExportsImportsAndLimitsConfigsPerUser() throws Exception {
    TapedeckSystem system = TapedeckSystem.shared();
    String admin = system.adminKey();
    JsonNode user = call(admin, "POST", "/api/v1/admin/users", "{\"name\":\"configs-user\"}", 201);
    String key = user.get("apiKey").asText();
    JsonNode other = call(admin, "POST", "/api/v1/admin/users", "{\"name\":\"configs-other\"}", 201);
    String otherKey = other.get("apiKey").asText();

    JsonNode saved =
        call(key, "POST", "/api/v1/recorder/configs",
            "{\"name\":\"Stripe Dev\",\"mode\":\"reverse\",\"targetUrl\":\"https://api.stripe.com\"}", 201);
    String id = saved.get("id").asText();
    assertThat(saved.get("config").get("targetUrl").asText()).isEqualTo("https://api.stripe.com");
    assertThat(call(key, "GET", "/api/v1/recorder/configs", null, 200).get("configs").findValuesAsText("id"))
        .containsExactly(id);
    assertThat(call(otherKey, "GET", "/api/v1/recorder/configs", null, 200).get("configs")).isEmpty();
    call(otherKey, "GET", "/api/v1/recorder/configs/" + id + "/export", null, 404);

    HttpResponse<String> export = send(key, "GET", "/api/v1/recorder/configs/" + id + "/export", null);
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Disposition").orElse("")).contains("Stripe_Dev.json");
    JsonNode imported = call(otherKey, "POST", "/api/v1/recorder/configs/import", export.body(), 201);
    assertThat(imported.get("config").get("name").asText()).isEqualTo("Stripe Dev");
    assertThat(imported.get("id").asText()).isNotEqualTo(id);

    JsonNode invalid = call(key, "POST", "/api/v1/recorder/configs", "{\"name\":\"x\",\"mode\":\"sideways\"}", 400);
    assertThat(invalid.get("fields").findValuesAsText("field")).contains("mode");
    call(key, "POST", "/api/v1/recorder/configs", "{\"targetUrl\":\"http://a\"}", 400);

    for (int i = 2; i <= 10; i++) {
      call(key, "POST", "/api/v1/recorder/configs", "{\"name\":\"c" + i + "\",\"targetUrl\":\"http://a\"}", 201);
    }
    JsonNode limit = call(key, "POST", "/api/v1/recorder/configs", "{\"name\":\"c11\",\"targetUrl\":\"http://a\"}", 409);
    assertThat(limit.get("error").asText()).isEqualTo("config_limit");

    call(key, "DELETE", "/api/v1/recorder/configs/" + id, null, 200);
    call(key, "DELETE", "/api/v1/recorder/configs/" + id, null, 404);
    call(key, "POST", "/api/v1/recorder/configs", "{\"name\":\"c11\",\"targetUrl\":\"http://a\"}", 201);

    call(admin, "DELETE", "/api/v1/admin/users/" + user.get("user").get("id").asText(), null, 200);
    call(admin, "DELETE", "/api/v1/admin/users/" + other.get("user").get("id").asText(), null, 200);
  }

  private static HttpResponse<String> send(String key, String method, String path, String body) throws Exception {
    return ApiClient.admin(TapedeckSystem.shared()).withKey(key).send(method, path, body);
  }

  private static JsonNode call(String key, String method, String path, String body, int expected) throws Exception {
    return ApiClient.admin(TapedeckSystem.shared()).withKey(key).call(method, path, body, expected);
  }
}
