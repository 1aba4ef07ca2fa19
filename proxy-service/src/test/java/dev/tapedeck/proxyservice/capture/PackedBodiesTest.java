package dev.tapedeck.proxyservice.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
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

  /** The capture as Kafka gets it, parsed back. */
  private static CapturedExchange sent(CapturedExchange exchange) throws Exception {
    return CapturedExchange.parseFrom(PackedBodies.serialize(exchange));
  }

  private static CapturedExchange response(ByteString data) {
    return CapturedExchange.newBuilder()
        .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setBody(Body.newBuilder().setData(data).setSize(data.size())))
        .build();
  }

  @Test
  void largeCompressibleBodiesArePackedAndSmallOrRandomOnesAreNot() throws Exception {
    byte[] random = new byte[16 * 1024];
    new Random(7).nextBytes(random);
    CapturedExchange exchange =
        CapturedExchange.newBuilder()
            .setEntryId("e1")
            .setRequest(CapturedRequest.newBuilder().setMethod("POST").setBody(body(json(100))))
            .setOriginalRequest(CapturedRequest.newBuilder().setMethod("POST").setBody(body(random)))
            .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setBody(body(json(64 * 1024))))
            .build();

    CapturedExchange packed = sent(exchange);

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
  void anExchangeWithNothingToPackIsSerializedAsItIs() {
    CapturedExchange exchange =
        CapturedExchange.newBuilder()
            .setResponse(CapturedResponse.newBuilder().setStatusCode(204))
            .build();
    assertThat(PackedBodies.serialize(exchange)).isEqualTo(exchange.toByteArray());
  }

  @Test
  void aBodyInPiecesOrInPartOfAnArrayPacksToTheSameBytes() throws Exception {
    byte[] body = json(64 * 1024);
    byte[] padded = new byte[body.length + 100];
    System.arraycopy(body, 0, padded, 37, body.length);
    ByteString rope = ByteString.copyFrom(body, 0, 20_000).concat(ByteString.copyFrom(body, 20_000, body.length - 20_000));

    for (ByteString data : new ByteString[] {UnsafeByteOperations.unsafeWrap(padded, 37, body.length), rope, ByteString.copyFrom(body)}) {
      Body packed = sent(response(data)).getResponse().getBody();

      assertThat(packed.getPacking()).isEqualTo(BodyPacking.SNAPPY);
      assertThat(BodyPacking.unpack(packed.getPacking(), packed.getData().toByteArray())).isEqualTo(body);
    }
  }

  @Test
  void eachSerializedCaptureKeepsItsOwnBodiesWhenTheNextOneIsPacked() throws Exception {
    byte[] first = PackedBodies.serialize(response(ByteString.copyFrom(json(64 * 1024))));
    byte[] second = PackedBodies.serialize(response(ByteString.copyFrom("[1,2,3,4]".repeat(8000).getBytes(StandardCharsets.UTF_8))));

    Body firstBody = CapturedExchange.parseFrom(first).getResponse().getBody();
    Body secondBody = CapturedExchange.parseFrom(second).getResponse().getBody();
    assertThat(BodyPacking.unpack(firstBody.getPacking(), firstBody.getData().toByteArray())).isEqualTo(json(64 * 1024));
    assertThat(new String(BodyPacking.unpack(secondBody.getPacking(), secondBody.getData().toByteArray()), StandardCharsets.UTF_8))
        .isEqualTo("[1,2,3,4]".repeat(8000));
  }

  @Test
  void aBodyLargerThanTheKeptArraysPacksAndTheNextOneStillDoes() throws Exception {
    for (int size : new int[] {3 * 1024 * 1024, 64 * 1024, 2 * 1024 * 1024, 8 * 1024}) {
      CapturedExchange exchange =
          CapturedExchange.newBuilder()
              .setResponse(CapturedResponse.newBuilder().setStatusCode(200).setBody(body(json(size))))
              .build();

      Body packed = sent(exchange).getResponse().getBody();

      assertThat(packed.getPacking()).as("%d bytes", size).isEqualTo(BodyPacking.SNAPPY);
      assertThat(BodyPacking.unpack(packed.getPacking(), packed.getData().toByteArray())).isEqualTo(json(size));
    }
  }
}
