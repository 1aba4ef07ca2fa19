package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.Header;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Each modification kind through a real proxy and upstream; the entry keeps the original. */
class ModificationsTest extends PolicyTestBase {

  @Test
  void headerRulesAddReplaceAndRemoveOnRequestAndResponse() throws Exception {
    int port =
        startProxy(
            policies(
                "{\"modifications\":{\"requestHeaders\":["
                    + "{\"action\":\"add\",\"name\":\"X-Debug\",\"value\":\"recorder\"},"
                    + "{\"action\":\"replace\",\"name\":\"Authorization\",\"value\":\"Bearer test-token\"},"
                    + "{\"action\":\"remove\",\"name\":\"X-Internal-ID\"}],"
                    + "\"responseHeaders\":[{\"action\":\"add\",\"name\":\"X-Recorded\",\"value\":\"true\"},"
                    + "{\"action\":\"remove\",\"name\":\"X-Upstream\"}]}}"));
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=m"))
                .header("Authorization", "Bearer real-secret")
                .header("X-Internal-ID", "42")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.headers().firstValue("X-Recorded")).hasValue("true");
    assertThat(response.headers().allValues("X-Upstream")).isEmpty();
    assertThat(upstreamHeaders.get(0).get("X-Debug")).isEqualTo("recorder");
    assertThat(upstreamHeaders.get(0).get("Authorization")).isEqualTo("Bearer test-token");
    assertThat(upstreamHeaders.get(0).contains("X-Internal-ID")).isFalse();

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getFlags().getModified()).isTrue();
    assertThat(x.getRequest().getHeadersList())
        .contains(Header.newBuilder().setName("Authorization").setValue("Bearer test-token").build());
    assertThat(x.getOriginalRequest().getHeadersList())
        .contains(
            Header.newBuilder().setName("Authorization").setValue("Bearer real-secret").build(),
            Header.newBuilder().setName("X-Internal-ID").setValue("42").build());
    assertThat(x.getResponse().getHeadersList()).contains(Header.newBuilder().setName("X-Recorded").setValue("true").build());
  }

  @Test
  void urlRewritesUseCaptureGroupsInOrder() throws Exception {
    int port =
        startProxy(
            policies(
                "{\"modifications\":{\"urlRewrites\":["
                    + "{\"match\":\"^/api/v1/(\\\\w+)/(\\\\d+)\",\"replace\":\"/api/v2/$1?id=$2\"},"
                    + "{\"match\":\"/v2/(?<kind>users)\",\"replace\":\"/v2/${kind}-archive\"}]}}"));
    HttpResponse<String> response = get(port, "/api/v1/users/42");

    assertThat(response.body()).isEqualTo("seen /api/v2/users-archive?id=42");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getRequest().getUrl()).endsWith("/api/v2/users-archive?id=42");
    assertThat(x.getOriginalRequest().getUrl()).endsWith("/api/v1/users/42");
    assertThat(x.getFlags().getModified()).isTrue();
  }

  @Test
  void bodyReplacementsPlainAndRegexOnResponseAndRequest() throws Exception {
    int port =
        startProxy(
            policies(
                "{\"modifications\":{\"bodyReplacements\":["
                    + "{\"match\":\"tapedeck\",\"replace\":\"TD\"},"
                    + "{\"match\":\"password=(\\\\w+)\",\"replace\":\"password=***\",\"isRegex\":true,\"target\":\"request\"}]}}"));
    assertThat(get(port, "/hello?name=tapedeck").body()).isEqualTo("{\"hello\":\"TD\"}");

    HttpResponse<String> echoed = send(port, "POST", "/echo", "user=a&password=hunter2");
    assertThat(upstreamBodies).containsExactly("user=a&password=***");
    assertThat(echoed.body()).isEqualTo("user=a&password=***");

    CapturedExchange post = awaitCaptured(2).get(1);
    assertThat(post.getRequest().getBody().getData().toStringUtf8()).isEqualTo("user=a&password=***");
    assertThat(post.getOriginalRequest().getBody().getData().toStringUtf8()).isEqualTo("user=a&password=hunter2");
    assertThat(post.getRequest().getHeadersList())
        .contains(Header.newBuilder().setName("Content-Length").setValue("19").build());
  }

  @Test
  void gzipBodyIsDecodedReplacedAndEncodedAgainWithItsLengthFixed() throws Exception {
    int port =
        startProxy(
            policies(
                "{\"modifications\":{\"bodyReplacements\":["
                    + "{\"match\":\"production-db.internal\",\"replace\":\"localhost:5432\"},"
                    + "{\"match\":\"\\\"apiKey\\\":\\\\s*\\\"[^\\\"]+\\\"\",\"replace\":\"\\\"apiKey\\\": \\\"REDACTED\\\"\",\"isRegex\":true}]}}"));
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gz")).build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length);
    String text =
        new String(new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(text).isEqualTo("{\"db\":\"localhost:5432\",\"apiKey\": \"REDACTED\"}");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getFlags().getModified()).isTrue();
    assertThat(x.getResponse().getBody().getContentEncoding()).isEqualTo("gzip");
  }

  @Test
  void unchangedExchangesAreNotFlagged() throws Exception {
    int port = startProxy(policies("{\"modifications\":{\"bodyReplacements\":[{\"match\":\"absent\",\"replace\":\"x\"}]}}"));
    get(port, "/hello?name=plain");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getFlags().getModified()).isFalse();
    assertThat(x.hasOriginalRequest()).isFalse();
  }
}
