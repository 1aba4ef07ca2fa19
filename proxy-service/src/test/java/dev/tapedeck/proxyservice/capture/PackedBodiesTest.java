package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.tapedeck.content.BodyPacking;
import dev.tapedeck.proto.capture.v1.Body;
import dev.tapedeck.proto.capture.v1.CapturedExchange;
import dev.tapedeck.proto.capture.v1.CapturedRequest;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedBodiesTest {

  private static Body body(byte[] data) {
    return Body.newBuilder().setData(ByteString.copyFrom(data)).setSize(data.length).setContentType("application/json").build();
  }

  private static byte[] json(int bytes) {
    return "{\"a\":1},".repeat(bytes / 8 + 1).substring(0, bytes).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void largeCompressibleBodiesArePackedAndSmallOrRandomOnesAreNot() {
    byte[] random = new byte[16 * 1024];
    new Random(7).nextBytes(random);
    CapturedExchange exchange =
        CapturedExchange.newBuilder()
            .setEntryId("e1")
            .setRequest(CapturedRequest.newBuilder().setMethod("POST").setBody(body(json(100))))
            .setOriginalRequest(CapturedRequest.newBuilder().setMethod("POST").setBody(body(random)))
            .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setBody(body(json(64 * 1024))))
            .build();

    CapturedExchange packed = PackedBodies.pack(exchange);

    Body response = packed.getResponse().getBody();
    assertThat(response.getPacking()).isEqualTo(BodyPacking.SNAPPY);
    assertThat(response.getData().size()).isLessThan(64 * 1024 / 4);
    assertThat(response.getSize()).as("the size is the body's as captured").isEqualTo(64 * 1024);
    assertThat(BodyPacking.unpack(response.getPacking(), response.getData().toByteArray())).isEqualTo(json(64 * 1024));
    assertThat(packed.getRequest().getBody()).isEqualTo(exchange.getRequest().getBody());
    assertThat(packed.getOriginalRequest().getBody()).isEqualTo(exchange.getOriginalRequest().getBody());
    assertThat(packed.getSerializedSize()).isLessThan(exchange.getSerializedSize());
  }

  @Test
  void anExchangeWithNothingToPackIsTheSameObject() {
    CapturedExchange exchange =
        CapturedExchange.newBuilder()
            .setResponse(CapturedResponse.newBuilder().setStatusCode(204))
            .build();
    assertThat(PackedBodies.pack(exchange)).isSameAs(exchange);
  }

  @Test
  void aBodyLargerThanTheKeptArraysPacksAndTheNextOneStillDoes() {
    for (int size : new int[] {3 * 1024 * 1024, 64 * 1024, 2 * 1024 * 1024, 8 * 1024}) {
      CapturedExchange exchange =
          CapturedExchange.newBuilder()
              .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setBody(body(json(size))))
              .build();

      Body packed = PackedBodies.pack(exchange).getResponse().getBody();

      assertThat(packed.getPacking()).as("%d bytes", size).isEqualTo(BodyPacking.SNAPPY);
      assertThat(BodyPacking.unpack(packed.getPacking(), packed.getData().toByteArray())).isEqualTo(json(size));
    }
  }
}
