package dev.tapedeck.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypeTest {

  @Test
  void parsesTypeSubtypeSuffixAndParameters() {
    ContentType type =
        ContentType.parse("Application/Vnd.API+JSON; Charset=\"ISO-8859-1\"; action=\"urn:x\"");

    assertThat(type.essence()).isEqualTo("application/vnd.api+json");
    assertThat(type.suffix()).isEqualTo("json");
    assertThat(type.isJson()).isTrue();
    assertThat(type.parameter("ACTION")).contains("urn:x");
    assertThat(type.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(type.declared()).startsWith("Application/Vnd.API+JSON");
  }

  @Test
  void aMissingOrUnknownCharsetReadsAsUtf8() {
    assertThat(ContentType.parse("text/csv").charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(ContentType.parse("text/csv").declaredCharset()).isEmpty();
    assertThat(ContentType.parse("application/json").charset()).isEqualTo(StandardCharsets.UTF_8);
    assertThat(ContentType.parse("text/plain; charset=no-such-charset").charset())
        .isEqualTo(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "text/plain",
        "text/csv; charset=iso-8859-1",
        "application/json",
        "application/problem+json",
        "application/soap+xml; action=x",
        "image/svg+xml",
        "application/x-www-form-urlencoded",
        "application/javascript",
        "application/x-ndjson",
        "application/graphql",
        "application/yaml"
      })
  void textTypesAreText(String value) {
    assertThat(ContentType.parse(value).kind()).isEqualTo(ContentType.Kind.TEXT);
    assertThat(MediaTypes.isText(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"image/png", "application/octet-stream", "application/grpc", "application/pdf"})
  void binaryTypesAreBinary(String value) {
    assertThat(ContentType.parse(value).kind()).isEqualTo(ContentType.Kind.BINARY);
  }

  @Test
  void noTypeOrNoSubtypeIsUndeclared() {
    assertThat(ContentType.parse(null).kind()).isEqualTo(ContentType.Kind.UNDECLARED);
    assertThat(ContentType.parse("  ").essence()).isEmpty();
    assertThat(ContentType.parse("json").isDeclared()).isFalse();
  }

  @Test
  void sloppyParametersAreReadLeniently() {
    ContentType trailing = ContentType.parse("text/html; charset=iso-8859-1;");
    assertThat(trailing.essence()).isEqualTo("text/html");
    assertThat(trailing.charset()).isEqualTo(StandardCharsets.ISO_8859_1);

    ContentType bare = ContentType.parse("text/csv; header; charset=iso-8859-1");
    assertThat(bare.essence()).isEqualTo("text/csv");
    assertThat(bare.charset()).isEqualTo(StandardCharsets.ISO_8859_1);

    ContentType broken = ContentType.parse("application/json; charset");
    assertThat(broken.essence()).isEqualTo("application/json");
    assertThat(broken.charset()).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void theBodysOwnTypeWinsOverTheHeader() {
    assertThat(ContentType.of("text/csv", "application/json").essence()).isEqualTo("text/csv");
    assertThat(ContentType.of("", "application/json").essence()).isEqualTo("application/json");
  }
}
