package dev.tapedeck.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tapedeck.devstack.Service;
import dev.tapedeck.devstack.ServiceProcess;
import dev.tapedeck.devstack.StackLayout;
import dev.tapedeck.devstack.StackStartException;
import dev.tapedeck.testkit.ApiClient;
import dev.tapedeck.testkit.Ports;
import dev.tapedeck.testkit.TapedeckSystem;
import dev.tapedeck.testkit.UpstreamResponse;
import dev.tapedeck.testkit.UpstreamServer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an attacker on the cluster network sees of Tapedeck's gRPC: every method of every service in
 * the .proto files (plus the standard health and reflection services a gRPC server may host),
 * called without a token and with a wrong one, on every port of every service: the public HTTP ports
 * serve no gRPC at all, the internal gRPC ports refuse with UNAUTHENTICATED before the method runs.
 * Meanwhile the system, whose services call each other with the token, records and exports.
 */
class InternalGrpcAuthIT {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  /** Standard services a gRPC server may host besides Tapedeck's own. */
  private static final List<String> STANDARD_METHODS =
      List.of(
          "grpc.health.v1.Health/Check",
          "grpc.health.v1.Health/Watch",
          "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
          "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo");
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final Map<Integer, ManagedChannel> CHANNELS = new ConcurrentHashMap<>();
  private static TapedeckSystem system;
  private static List<String> tapedeckMethods;

  @BeforeAll
  static void start() throws Exception {
    system = TapedeckSystem.shared();
    tapedeckMethods = protoMethods();
  }

  @AfterAll
  static void closeChannels() {
    CHANNELS.values().forEach(ManagedChannel::shutdownNow);
  }

  @Test
  void protoFilesDeclareTheServicesUnderTest() {
    assertThat(tapedeckMethods)
        .contains(
            "tapedeck.control.v1.SessionWatch/Watch",
            "tapedeck.control.v1.SessionWatch/ReportListener",
            "tapedeck.control.v1.SessionWatch/GetInterceptionCa",
            "tapedeck.storage.v1.EntryStore/ListEntries",
            "tapedeck.storage.v1.EntryStore/ImportEntries",
            "tapedeck.storage.v1.EntryStore/DeleteSessionEntries",
            "tapedeck.converter.v1.Converter/Export");
  }

  @Test
  void everyMethodOnEveryInternalPortRefusesACallWithoutToken() {
    assertRefusedEverywhere(new Metadata(), "no token");
  }

  @Test
  void everyMethodOnEveryInternalPortRefusesAWrongToken() {
    String token = system.internalToken();
    String wrong = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");
    Map<String, String> headers =
        Map.of(
            "another token", "Bearer " + wrong,
            "a truncated token", "Bearer " + token.substring(1),
            "another scheme", "Basic " + token,
            "no scheme", token);
    headers.forEach(
        (what, header) -> {
          Metadata metadata = new Metadata();
          metadata.put(AUTHORIZATION, header);
          assertRefusedEverywhere(metadata, what);
        });
  }

  /**
   * Calls every method on every internal port with {@code headers}: a method of the service a port
   * hosts ({@code tapedeck.<service>.v1}) must be refused UNAUTHENTICATED; one it does not host is
   * UNIMPLEMENTED (or UNAUTHENTICATED); no call gets a message back.
   */
  private static void assertRefusedEverywhere(Metadata headers, String what) {
    List<String> authenticated = new ArrayList<>();
    for (Service service : grpcServices()) {
      int port = system.layout().grpcPort(service);
      for (String method : allMethods()) {
        Outcome outcome = call(port, method, headers);
        String call = service.module() + " :" + port + " " + method + " with " + what;
        if (method.startsWith("tapedeck." + service.shortName() + ".")) {
          assertThat(outcome.status().getCode()).as(call).isEqualTo(Status.Code.UNAUTHENTICATED);
          authenticated.add(method);
        } else {
          assertThat(outcome.status().getCode()).as(call).isIn(Status.Code.UNAUTHENTICATED, Status.Code.UNIMPLEMENTED);
        }
        assertThat(outcome.messages()).as(call + " answered nothing").isZero();
      }
    }
    // Every Tapedeck method is hosted on one internal port and was refused there.
    assertThat(authenticated).containsExactlyInAnyOrderElementsOf(tapedeckMethods);
  }

  @Test
  void publicHttpPortsServeNoGrpcEvenWithTheToken() {
    Metadata withToken = new Metadata();
    withToken.put(AUTHORIZATION, "Bearer " + system.internalToken());
    for (Service service : Service.values()) {
      int port = system.layout().httpPort(service);
      for (Metadata headers : List.of(new Metadata(), withToken)) {
        for (String method : allMethods()) {
          Outcome outcome = call(port, method, headers);
          assertThat(outcome.status().getCode())
              .as(service.module() + " HTTP port " + port + " " + method)
              .isIn(Status.Code.UNIMPLEMENTED, Status.Code.UNAVAILABLE);
          assertThat(outcome.messages()).isZero();
        }
      }
    }
  }

  @Test
  void theRightTokenGetsThrough() {
    Metadata withToken = new Metadata();
    withToken.put(AUTHORIZATION, "Bearer " + system.internalToken());
    // SessionStats is read-only: {session_ids: ["none"]}.
    byte[] request = {0x0a, 4, 'n', 'o', 'n', 'e'};

    Outcome outcome =
        call(system.layout().grpcPort(Service.STORAGE), "tapedeck.storage.v1.EntryStore/SessionStats", withToken, request);

    assertThat(outcome.status().getCode()).isEqualTo(Status.Code.OK);
    assertThat(outcome.messages()).isEqualTo(1);
  }

  @Test
  void systemStillRecordsAndExportsThroughItsAuthenticatedInternalCalls() throws Exception {
    try (UpstreamServer upstream =
        UpstreamServer.start().route("GET", "/ping", req -> UpstreamResponse.json(200, "{\"pong\":true}"))) {
      ApiClient api = ApiClient.admin(system);
      JsonNode session =
          api.call(
                  "POST",
                  "/api/v1/recorder/start",
                  "{\"name\":\"grpc-auth\",\"mode\":\"reverse\",\"targetUrl\":\"" + upstream.url() + "\"}",
                  201)
              .get("session");
      String id = session.get("id").asText();
      HttpResponse<String> through =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + session.get("listenPort").asInt() + "/ping"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(through.body()).isEqualTo("{\"pong\":true}");

      // storage ingests it; control reads it from storage, and the export goes control ->
      // converter -> storage: each hop an authenticated gRPC call.
      api.awaitEntryTotal(id, 1, Duration.ofSeconds(30));
      JsonNode entries = api.call("GET", "/api/v1/recorder/" + id + "/entries?offset=0&limit=10", null, 200);
      assertThat(entries.get("entries").get(0).get("request").get("url").asText()).endsWith("/ping");
      HttpResponse<String> har = api.send("POST", "/api/v1/recorder/" + id + "/export", null);
      assertThat(har.statusCode()).isEqualTo(200);
      assertThat(har.body()).contains("\"log\"").contains("/ping");
      api.call("POST", "/api/v1/recorder/" + id + "/stop", null, 200);
    }
  }

  @Test
  void serviceWithoutTokenDoesNotStartAndSaysWhichSettingIsMissing() throws Exception {
    StackLayout layout = system.layout().withHttpPort(Service.CONVERTER, Ports.free()).withGrpcPort(Service.CONVERTER, Ports.free());
    try (ServiceProcess converter =
        ServiceProcess.start(
            Service.CONVERTER, system.repoRoot(), layout, "converter-no-token", Map.of("TAPEDECK_INTERNAL_TOKEN", ""))) {
      StackStartException failed =
          catchThrowableOfType(StackStartException.class, () -> converter.awaitReady(Duration.ofSeconds(90)));

      assertThat(failed).as("the converter must not start without the token").isNotNull();
      assertThat(failed.getMessage())
          .contains("exited")
          .contains("tapedeck.internal.token")
          .contains("TAPEDECK_INTERNAL_TOKEN");
    }
  }

  @Test
  void checkSwitchedOffOnPurposeIsLoggedAndLetsCallsIn() throws Exception {
    StackLayout layout = system.layout().withHttpPort(Service.CONVERTER, Ports.free()).withGrpcPort(Service.CONVERTER, Ports.free());
    try (ServiceProcess converter =
        ServiceProcess.start(
            Service.CONVERTER,
            system.repoRoot(),
            layout,
            "converter-auth-off",
            Map.of("TAPEDECK_INTERNAL_TOKEN", "", "TAPEDECK_INTERNAL_AUTH_ENABLED", "false"))) {
      converter.awaitReady(Duration.ofSeconds(90));

      // Answered by the export itself (which then fails at storage: it sends no token), not refused.
      Outcome outcome = call(layout.grpcPort(Service.CONVERTER), "tapedeck.converter.v1.Converter/Export", new Metadata());

      String log = Files.readString(converter.logFile());
      assertThat(outcome.status().getCode()).isNotEqualTo(Status.Code.UNIMPLEMENTED);
      assertThat(log).contains("Internal gRPC authentication is OFF");
      assertThat(log).as("the converter's own check refused nothing").doesNotContain("Refused gRPC");
    }
  }

  private static List<Service> grpcServices() {
    return Stream.of(Service.values()).filter(Service::servesGrpc).toList();
  }

  private static List<String> allMethods() {
    List<String> all = new ArrayList<>(tapedeckMethods);
    all.addAll(STANDARD_METHODS);
    return all;
  }

  private record Outcome(Status status, int messages) {}

  private static Outcome call(int port, String fullMethod, Metadata headers) {
    return call(port, fullMethod, headers, new byte[0]);
  }

  /** One call with {@code request} as its only message, whatever the method's kind; waits for its end. */
  private static Outcome call(int port, String fullMethod, Metadata headers, byte[] request) {
    ManagedChannel channel =
        CHANNELS.computeIfAbsent(port, p -> NettyChannelBuilder.forAddress("127.0.0.1", p).usePlaintext().build());
    MethodDescriptor<byte[], byte[]> method =
        MethodDescriptor.newBuilder(BYTES, BYTES)
            .setType(MethodDescriptor.MethodType.UNKNOWN)
            .setFullMethodName(fullMethod)
            .build();
    ClientCall<byte[], byte[]> call = channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(15, TimeUnit.SECONDS));
    CompletableFuture<Status> closed = new CompletableFuture<>();
    AtomicInteger messages = new AtomicInteger();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(byte[] message) {
            messages.incrementAndGet();
            call.request(1);
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(status);
          }
        },
        headers);
    call.request(1);
    call.sendMessage(request);
    call.halfClose();
    try {
      return new Outcome(closed.get(20, TimeUnit.SECONDS), messages.get());
    } catch (Exception e) {
      call.cancel("test gave up", e);
      throw new AssertionError(fullMethod + " on port " + port + " did not end", e);
    }
  }

  /**
   * Every {@code package.Service/Method} declared in the .proto files of tapedeck-proto, read from
   * the classpath, so a service or rpc added later is covered without touching this test.
   */
  private static List<String> protoMethods() throws Exception {
    URL anchor = InternalGrpcAuthIT.class.getClassLoader().getResource("tapedeck/control/v1/control.proto");
    assertThat(anchor).as("tapedeck-proto on the test classpath").isNotNull();
    List<String> methods = new ArrayList<>();
    if (anchor.getProtocol().equals("jar")) {
      String jar = anchor.toString().substring(0, anchor.toString().indexOf("!/"));
      try (FileSystem fs = FileSystems.newFileSystem(URI.create(jar), Map.of())) {
        collect(fs.getPath("/tapedeck"), methods);
      }
    } else {
      collect(Path.of(anchor.toURI()).getParent().getParent().getParent(), methods);
    }
    return methods;
  }

  private static void collect(Path root, List<String> methods) throws IOException {
    Pattern pkg = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    Pattern service = Pattern.compile("^service\\s+(\\w+)\\s*\\{(.*?)^}", Pattern.MULTILINE | Pattern.DOTALL);
    Pattern rpc = Pattern.compile("^\\s*rpc\\s+(\\w+)\\s*\\(", Pattern.MULTILINE);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".proto")).sorted().toList();
    }
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Matcher p = pkg.matcher(text);
      String prefix = p.find() ? p.group(1) + "." : "";
      Matcher s = service.matcher(text);
      while (s.find()) {
        Matcher r = rpc.matcher(s.group(2));
        while (r.find()) {
          methods.add(prefix + s.group(1) + "/" + r.group(1));
        }
      }
    }
  }
}
