package dev.tapedeck.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The two interceptors on a real gRPC server and channel over a loopback socket: a unary and a
 * server-streaming method, as the services have.
 */
class InternalTokenInterceptorsTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef";
  private static final MethodDescriptor.Marshaller<String> TEXT =
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
  private static final MethodDescriptor<String, String> ECHO =
      MethodDescriptor.newBuilder(TEXT, TEXT)
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("test.Echo/Echo")
          .build();
  private static final MethodDescriptor<String, String> REPEAT =
      MethodDescriptor.newBuilder(TEXT, TEXT)
          .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
          .setFullMethodName("test.Echo/Repeat")
          .build();

  private final AtomicInteger handled = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void callWithoutTokenIsRefusedUnauthenticatedBeforeTheMethodRuns() throws Exception {
    InternalTokenServerInterceptor interceptor = start(InternalToken.of(TOKEN, true));

    StatusRuntimeException unary = refusal(() -> ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "hi"));
    StatusRuntimeException stream =
        refusal(() -> ClientCalls.blockingServerStreamingCall(channel, REPEAT, CallOptions.DEFAULT, "hi").next());

    assertThat(unary.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(unary.getStatus().getDescription()).contains("needs the internal token");
    assertThat(stream.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(handled).as("no method ran").hasValue(0);
    assertThat(interceptor.refusedCount()).isEqualTo(2);
  }

  @Test
  void callWithWrongTokenOrSchemeIsRefused() throws Exception {
    start(InternalToken.of(TOKEN, true));

    for (String header : new String[] {"Bearer " + TOKEN.replace('0', '1'), "Basic " + TOKEN, TOKEN, "Bearer "}) {
      Metadata metadata = new Metadata();
      metadata.put(InternalTokenCredentials.AUTHORIZATION, header);
      Channel withHeader = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));

      StatusRuntimeException refused =
          refusal(() -> ClientCalls.blockingUnaryCall(withHeader, ECHO, CallOptions.DEFAULT, "hi"));

      assertThat(refused.getStatus().getCode()).as(header).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(handled).hasValue(0);
  }

  @Test
  void clientInterceptorSendsTheTokenAndTheCallsGoThrough() throws Exception {
    start(InternalToken.of(TOKEN, true));
    Channel client =
        ClientInterceptors.intercept(channel, new InternalTokenClientInterceptor(InternalToken.of(TOKEN, true)));

    String echoed = ClientCalls.blockingUnaryCall(client, ECHO, CallOptions.DEFAULT, "hi");
    Iterator<String> repeated = ClientCalls.blockingServerStreamingCall(client, REPEAT, CallOptions.DEFAULT, "hi");

    assertThat(echoed).isEqualTo("hi");
    assertThat(repeated).toIterable().containsExactly("hi", "hi", "hi");
    assertThat(handled).hasValue(2);
  }

  @Test
  void clientWithAnotherTokenIsRefused() throws Exception {
    start(InternalToken.of(TOKEN, true));
    Channel client =
        ClientInterceptors.intercept(
            channel, new InternalTokenClientInterceptor(InternalToken.of("z".repeat(48), true)));

    StatusRuntimeException refused =
        refusal(() -> ClientCalls.blockingUnaryCall(client, ECHO, CallOptions.DEFAULT, "hi"));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(refused.getStatus().getDescription()).isEqualTo("the internal token does not match");
  }

  @Test
  void switchedOffTheServerAnswersCallsWithoutToken() throws Exception {
    start(InternalToken.of(null, false));
    Channel client = ClientInterceptors.intercept(channel, new InternalTokenClientInterceptor(InternalToken.of(null, false)));

    assertThat(ClientCalls.blockingUnaryCall(client, ECHO, CallOptions.DEFAULT, "hi")).isEqualTo("hi");
  }

  @Test
  void refusalsAreLoggedAtMostOnceEveryTenSeconds() {
    InternalTokenServerInterceptor interceptor = new InternalTokenServerInterceptor(InternalToken.of(TOKEN, true));

    assertThat(interceptor.logDue(1_000_000)).as("the first").isTrue();
    assertThat(interceptor.logDue(1_000_001)).isFalse();
    assertThat(interceptor.logDue(1_009_999)).isFalse();
    assertThat(interceptor.logDue(1_010_000)).as("10 s later").isTrue();
    assertThat(interceptor.logDue(1_010_500)).isFalse();
  }

  private InternalTokenServerInterceptor start(InternalToken token) throws IOException {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("test.Echo")
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (String request, StreamObserver<String> response) -> {
                      handled.incrementAndGet();
                      response.onNext(request);
                      response.onCompleted();
                    }))
            .addMethod(
                REPEAT,
                ServerCalls.asyncServerStreamingCall(
                    (String request, StreamObserver<String> response) -> {
                      handled.incrementAndGet();
                      for (int i = 0; i < 3; i++) {
                        response.onNext(request);
                      }
                      response.onCompleted();
                    }))
            .build();
    InternalTokenServerInterceptor interceptor = new InternalTokenServerInterceptor(token);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(service, interceptor))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    return interceptor;
  }

  private static StatusRuntimeException refusal(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }
}
