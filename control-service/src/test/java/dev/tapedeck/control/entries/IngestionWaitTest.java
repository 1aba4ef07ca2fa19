package dev.tapedeck.control.entries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.proto.storage.v1.AwaitIngestionRequest;
import dev.tapedeck.proto.storage.v1.AwaitIngestionResponse;
import dev.tapedeck.proto.storage.v1.EntryStoreGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an export does with storage's answer to the ingestion wait, over a real gRPC connection to
 * a server that answers as told (the wait itself is tested against Kafka in storage-service).
 */
class IngestionWaitTest {
  private final List<AwaitIngestionRequest> asked = new CopyOnWriteArrayList<>();
  private volatile AwaitIngestionResponse answer;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startStorage() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new EntryStoreGrpc.EntryStoreImplBase() {
                  @Override
                  public void awaitIngestion(
                      AwaitIngestionRequest request, StreamObserver<AwaitIngestionResponse> out) {
                    asked.add(request);
                    out.onNext(answer);
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stopStorage() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private IngestionWait waitingUpTo(Duration wait) {
    IngestionWait ingestion = new IngestionWait(wait);
    ingestion.storage = EntryStoreGrpc.newBlockingStub(channel);
    return ingestion;
  }

  @Test
  void asksStorageToWaitTheConfiguredTimeForTheSession() {
    answer = AwaitIngestionResponse.newBuilder().setCaughtUp(true).build();

    waitingUpTo(Duration.ofSeconds(30)).untilStored("session-1");

    assertThat(asked)
        .containsExactly(
            AwaitIngestionRequest.newBuilder()
                .setSessionId("session-1")
                .setTimeoutMillis(30_000)
                .build());
  }

  @Test
  void capturesStillPendingAtTheEndOfTheWaitAre503IngestionPending() {
    answer = AwaitIngestionResponse.newBuilder().setCaughtUp(false).setPendingRecords(7).build();

    assertThatThrownBy(() -> waitingUpTo(Duration.ofSeconds(2)).untilStored("session-1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.code()).isEqualTo("ingestion_pending");
              assertThat(e.getMessage())
                  .contains("7 records")
                  .contains("after 2 s")
                  .contains("tapedeck.export.ingestion-wait");
            });
  }

  @Test
  void aZeroWaitNeverAsks() {
    waitingUpTo(Duration.ZERO).untilStored("session-1");

    assertThat(asked).isEmpty();
  }

  @Test
  void aNegativeWaitIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new IngestionWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tapedeck.export.ingestion-wait");
  }
}
