package dev.tapedeck.converter.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tapedeck.proto.converter.v1.ConversionOptions;
import dev.tapedeck.proto.converter.v1.ExportRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Requests refused before storage is called: no storage stub is needed. */
class ConverterEndpointTest {

  private final ConverterEndpoint endpoint = new ConverterEndpoint(null, 65_536, "test");

  private StatusRuntimeException refusal(ExportRequest request) {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () -> endpoint.export(request).collect().asList().await().atMost(Duration.ofSeconds(5)));
  }

  @Test
  void refusesAnUnknownFormatNamingTheField() {
    StatusRuntimeException e =
        refusal(ExportRequest.newBuilder().setSessionId("s-1").setFormat("soapui").build());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .startsWith("format: unknown export format \"soapui\"; supported: har, wiremock, mockd,");
  }

  @Test
  void refusesInvalidOptionsNamingEveryField() {
    StatusRuntimeException e =
        refusal(
            ExportRequest.newBuilder()
                .setSessionId("s-1")
                .setFormat("wiremock")
                .setOptions(ConversionOptions.newBuilder().setDuplicates("most").addStatuses("20x"))
                .build());
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "options.duplicates: \"most\" is not one of first, last, all; "
                + "options.statuses[0]: \"20x\" is not a status code (404) or class (2xx)");
  }

  @Test
  void listsEveryFormatTheContractNames() {
    assertThat(ExportFormat.supported())
        .isEqualTo(
            "har, wiremock, mockd, openapi, postman, insomnia-v4, insomnia-v5, k6, node-test,"
                + " collection");
  }
}
