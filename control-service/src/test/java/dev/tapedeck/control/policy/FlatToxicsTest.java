package dev.tapedeck.control.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.tapedeck.control.session.StartRequest;
import dev.tapedeck.policy.ConnectionToxics;
import dev.tapedeck.policy.PolicyFieldException;
import dev.tapedeck.policy.ProtocolToxics;
import dev.tapedeck.policy.Toxics;
import org.junit.jupiter.api.Test;

/** Mockarty's flat toxics ({@code {"delayMs": 3000}}) read as the http set, written nested. */
class FlatToxicsTest {
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  @Test
  void flatFieldsAreTheHttpSet() throws Exception {
    Toxics t = json.readValue("{\"delayMs\":3000,\"delayJitter\":1000,\"errorRate\":0.2}", Toxics.class);
    assertThat(t).isEqualTo(new Toxics(null, new ProtocolToxics(3000, 1000, 0.2, null, null, null), null, null, null, null));
  }

  @Test
  void flatFieldsGoWithSeedAndConnection() throws Exception {
    Toxics t = json.readValue("{\"seed\":7,\"delayMs\":5,\"connection\":{\"resetRate\":0.5}}", Toxics.class);
    assertThat(t.seed()).isEqualTo(7L);
    assertThat(t.http().delayMs()).isEqualTo(5);
    assertThat(t.connection()).isEqualTo(new ConnectionToxics(0.5, null, null, null));
  }

  @Test
  void theWrittenFormIsNestedAndReadsBackTheSame() throws Exception {
    Toxics flat = json.readValue("{\"delayMs\":300}", Toxics.class);
    String written = json.writeValueAsString(flat);
    assertThat(written).isEqualTo("{\"http\":{\"delayMs\":300}}");
    assertThat(json.readValue(written, Toxics.class)).isEqualTo(flat);
  }

  @Test
  void theNestedFormIsUnchanged() throws Exception {
    Toxics t = json.readValue("{\"http\":{\"delayMs\":1},\"grpc\":{\"errorRate\":1.0}}", Toxics.class);
    assertThat(t.http().delayMs()).isEqualTo(1);
    assertThat(t.grpc().errorRate()).isEqualTo(1.0);
    assertThat(json.readValue("{}", Toxics.class)).isEqualTo(Toxics.NONE);
  }

  @Test
  void flatFieldsBesideAProtocolKeyAreRefusedNamingTheField() {
    assertThatThrownBy(() -> json.readValue("{\"websocket\":{},\"errorRate\":0.1}", Toxics.class))
        .isInstanceOf(ValueInstantiationException.class)
        .cause()
        .isInstanceOfSatisfying(PolicyFieldException.class, e -> assertThat(e.field()).isEqualTo("errorRate"));
  }

  @Test
  void anUnknownFieldIsStillRefused() {
    assertThatThrownBy(() -> json.readValue("{\"delayMillis\":1}", Toxics.class))
        .hasMessageContaining("delayMillis");
  }

  @Test
  void aStartRequestAndAStoredConfigReadTheFlatForm() throws Exception {
    StartRequest r = json.readValue("{\"targetUrl\":\"http://a\",\"toxics\":{\"delayMs\":200}}", StartRequest.class);
    assertThat(r.toxics().http().delayMs()).isEqualTo(200);
    assertThat(PolicyJson.read("{\"toxics\":{\"delayMs\":200}}").toxics().http().delayMs()).isEqualTo(200);
  }
}
