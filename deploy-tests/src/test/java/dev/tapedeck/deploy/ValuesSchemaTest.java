package dev.tapedeck.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that would install a broken or unsafe Tapedeck are refused before anything renders. */
class ValuesSchemaTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          two control pods                | 'control: {replicaCount: 2}'                          | /control/replicaCount
          privileged session port         | 'sessionPorts: {start: 80, end: 90}'                   | /sessionPorts/start
          port past 65535                 | 'sessionPorts: {start: 8081, end: 70000}'              | /sessionPorts/end
          Kafka without a port            | 'externalKafka: {bootstrapServers: kafka}'             | /externalKafka/bootstrapServers
          MongoDB URI of another scheme   | 'externalMongodb: {connectionString: "http://db"}'     | /externalMongodb/connectionString
          misspelt top-level key          | 'sessionPort: {start: 8081}'                           | sessionPort
          unknown Service type            | 'proxy: {service: {type: Public}}'                     | /proxy/service/type
          auth flag as text               | 'auth: {enabled: "maybe"}'                             | /auth/enabled
          unknown pull policy             | 'image: {pullPolicy: Sometimes}'                       | /image/pullPolicy
          dependency without its switch   | 'kafka: {enabled: null}'                               | /kafka
          """)
  void refuses(String what, String values, String reported) {
    assertThatThrownBy(() -> Chart.staged().render(values))
        .as(what)
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining(reported);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          window upside down | 'sessionPorts: {start: 9000, end: 8999}' | sessionPorts.end (8999) must not be below sessionPorts.start (9000)
          """)
  void refusesInconsistentValuesWithAMessage(String what, String values, String message) {
    assertThatThrownBy(() -> Chart.staged().render(values)).as(what).hasMessageContaining(message);
  }
}
