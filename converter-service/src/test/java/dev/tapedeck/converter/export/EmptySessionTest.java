package dev.tapedeck.converter.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tapedeck.converter.export.convert.ConversionOptions;
import dev.tapedeck.converter.export.har.TestExchanges;
import dev.tapedeck.proto.capture.v1.CapturedResponse;
import dev.tapedeck.proto.capture.v1.EntryType;
import dev.tapedeck.proto.capture.v1.TunnelInfo;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sessions with nothing to replay still make well-formed documents. */
class EmptySessionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void writesAWellFormedEmptyDocument(ExportFormat format) throws Exception {
    String document = Exports.export(format, List.of(), ConversionOptions.defaults());
    switch (format.contentType()) {
      case "application/json" -> assertThat(JSON.readTree(document).isObject()).isTrue();
      case "application/x-yaml" -> assertThat(YAML.readTree(document).isObject()).isTrue();
      default -> assertThat(document).contains("import ");
    }
  }

  @ParameterizedTest
  @EnumSource(value = ExportFormat.class, names = "HAR", mode = EnumSource.Mode.EXCLUDE)
  void leavesOutTunnelsAndWebSocketsThatNoHttpClientCanReplay(ExportFormat format) {
    StoredEntry webSocket =
        TestExchanges.stored(
            TestExchanges.exchange("e-ws")
                .setEntryType(EntryType.WEBSOCKET)
                .setRequest(TestExchanges.getRequest("http://ws.example.test/socket"))
                .setResponse(CapturedResponse.newBuilder().setStatusCode(101))
                .build(),
            1);
    StoredEntry tunnel =
        TestExchanges.stored(
            TestExchanges.exchange("e-tunnel")
                .setEntryType(EntryType.TUNNEL)
                .setTunnel(TunnelInfo.newBuilder().setHost("tunnel.example.test").setPort(443))
                .build(),
            2);
    assertThat(Exports.export(format, List.of(webSocket, tunnel), ConversionOptions.defaults()))
        .doesNotContain("/socket")
        .doesNotContain("tunnel.example.test");
  }
}
