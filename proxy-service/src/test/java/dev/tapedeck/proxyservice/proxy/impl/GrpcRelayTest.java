package dev.tapedeck.proxyservice.proxy.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.Frame;
import dev.tapedeck.proto.capture.v1.GrpcInfo;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real grpc-java client and server (plain text, HTTP/2 both legs) with a reverse-mode listener
 * between them: calls get their answers, and each is recorded as a gRPC entry with its service,
 * method, every message as a frame in order, and its status. Messages are UTF-8 strings, so no
 * generated code is needed.
 */
class GrpcRelayTest extends ProxyTestBase {
  private static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private static final MethodDescriptor<String, String> GREET = method("Greet", MethodDescriptor.MethodType.UNARY);
  private static final MethodDescriptor<String, String> COUNT =
      method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);

  private Server server;
  private ManagedChannel channel;

  private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("tapedeck.test.Greeter", name))
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
  }

  /** Greet answers "hello NAME" (NOT_FOUND for "nobody"); Count streams 1..N. */
  @BeforeEach
  void startGrpcServerAndProxy() throws Exception {
    ServerServiceDefinition greeter =
        ServerServiceDefinition.builder("tapedeck.test.Greeter")
            .addMethod(
                GREET,
                ServerCalls.asyncUnaryCall(
                    (name, answer) -> {
                      if (name.equals("nobody")) {
                        answer.onError(Status.NOT_FOUND.withDescription("no greeting for nobody (100% sure)").asRuntimeException());
                        return;
                      }
                      answer.onNext("hello " + name);
                      answer.onCompleted();
                    }))
            .addMethod(
                COUNT,
                ServerCalls.asyncServerStreamingCall(
                    (n, answer) -> {
                      for (int i = 1; i <= Integer.parseInt(n); i++) {
                        answer.onNext(String.valueOf(i));
                      }
                      answer.onCompleted();
                    }))
            .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(greeter).build().start();
    int port = startProxy(settings("reverse", "http://127.0.0.1:" + server.getPort(), true, 1 << 20, 1));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  @AfterEach
  void stopGrpc() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void unaryCallIsAnsweredAndRecordedWithItsMessagesAndStatus() throws Exception {
    assertThat(ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, "tape")).isEqualTo("hello tape");

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getEntryType()).isEqualTo(EntryType.GRPC);
    assertThat(x.getRequest().getHttpVersion()).isEqualTo("HTTP/2");
    assertThat(x.getRequest().getUrl()).endsWith("/tapedeck.test.Greeter/Greet");
    assertThat(x.getGrpc())
        .isEqualTo(GrpcInfo.newBuilder().setService("tapedeck.test.Greeter").setMethod("Greet").setStatusCode(0).build());
    assertThat(frames(x)).containsExactly("CLIENT_TO_SERVER tape", "SERVER_TO_CLIENT hello tape");
    assertThat(x.getFrames(1).getSize()).isEqualTo("hello tape".length());
    assertThat(x.getResponse().getTrailersList()).anyMatch(h -> h.getName().equals("grpc-status") && h.getValue().equals("0"));
    assertThat(x.getTimings().getConnectMs()).as("the first call opened the upstream connection").isGreaterThanOrEqualTo(0);

    assertThat(ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, "again")).isEqualTo("hello again");
    assertThat(awaitCaptured(2).get(1).getTimings().getConnectMs()).as("the second reused it").isEqualTo(-1);
  }

  @Test
  void serverStreamingCallPassesEveryMessageAndRecordsThemInOrder() throws Exception {
    List<String> answers = new ArrayList<>();
    ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, "5").forEachRemaining(answers::add);

    assertThat(answers).containsExactly("1", "2", "3", "4", "5");
    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getGrpc().getMethod()).isEqualTo("Count");
    assertThat(x.getGrpc().getStatusCode()).isZero();
    assertThat(frames(x))
        .containsExactly(
            "CLIENT_TO_SERVER 5",
            "SERVER_TO_CLIENT 1",
            "SERVER_TO_CLIENT 2",
            "SERVER_TO_CLIENT 3",
            "SERVER_TO_CLIENT 4",
            "SERVER_TO_CLIENT 5");
    assertThat(x.getFramesList()).extracting(Frame::getTimeUnixMicros).isSorted();
  }

  @Test
  void errorStatusReachesTheClientAndIsRecordedWithItsMessage() throws Exception {
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GREET, CallOptions.DEFAULT, "nobody"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no greeting for nobody (100% sure)");
            });

    CapturedExchange x = awaitCaptured(1).get(0);
    assertThat(x.getGrpc().getStatusCode()).isEqualTo(Status.Code.NOT_FOUND.value());
    assertThat(x.getGrpc().getStatusMessage()).isEqualTo("no greeting for nobody (100% sure)");
    assertThat(frames(x)).containsExactly("CLIENT_TO_SERVER nobody");
  }

  private static List<String> frames(CapturedExchange x) {
    return x.getFramesList().stream()
        .map(f -> f.getDirection() + " " + f.getData().toStringUtf8())
        .toList();
  }
}
