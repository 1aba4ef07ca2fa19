package dev.tapedeck.converter.export.convert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversionOptionsTest {

  @Test
  void namesEveryInvalidFieldWithItsIndex() {
    List<String> errors = new ArrayList<>();
    ConversionOptions.parse(
        dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder()
            .setDuplicates("some")
            .addMethods("GET")
            .addMethods("G ET")
            .addStatuses("2xx")
            .addStatuses("2yx")
            .addPathFilters("/api/[")
            .addRedactJsonPaths("user.password")
            .setProtocol("grpc")
            .setBaseUrl("ftp://example.test")
            .build(),
        errors);
    assertThat(errors)
        .containsExactly(
            "options.duplicates: \"some\" is not one of first, last, all",
            "options.methods[1]: \"G ET\" is not an HTTP method",
            "options.statuses[1]: \"2yx\" is not a status code (404) or class (2xx)",
            errors.get(3),
            errors.get(4),
            "options.protocol: \"grpc\" is not one of http, tests, performance",
            "options.base_url: \"ftp://example.test\" is not an absolute http(s) URL");
    assertThat(errors.get(3)).startsWith("options.path_filters[0]: \"/api/[\" is not a glob");
    assertThat(errors.get(4)).startsWith("options.redact_json_paths[0]: \"user.password\"");
  }

  @Test
  void acceptsMockdStyleCommaSeparatedValues() {
    List<String> errors = new ArrayList<>();
    ConversionOptions options =
        ConversionOptions.parse(
            dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder()
                .addMethods("get,post")
                .addStatuses("2xx,404")
                .addIncludeHosts("api.example.com,*.example.org")
                .setDuplicates("LAST")
                .build(),
            errors);
    assertThat(errors).isEmpty();
    assertThat(options.methods()).containsExactlyInAnyOrder("GET", "POST");
    assertThat(options.statuses()).hasSize(2);
    assertThat(options.includeHosts()).hasSize(2);
    assertThat(options.duplicates()).isEqualTo(Duplicates.LAST);
  }

  @Test
  void defaultsKeepEverythingAndRedact() {
    ConversionOptions options = ConversionOptions.defaults();
    assertThat(options.noRedact()).isFalse();
    assertThat(options.smartMatch()).isFalse();
    assertThat(options.duplicates()).isEqualTo(Duplicates.FIRST);
    assertThat(options.protocol()).isEqualTo(CollectionProtocol.HTTP);
  }

  @Test
  void exportGlobsMatchInLinearTimeAndAreCapped() {
    List<String> errors = new ArrayList<>();
    ConversionOptions options =
        ConversionOptions.parse(
            dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder()
                .addPathFilters("*a*a*a*a*a*a*a*a*a*a*a*a*b")
                .addIncludeHosts("h".repeat(1001))
                .build(),
            errors);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("options.include_hosts[0]").contains("at most 1000");
    long start = System.nanoTime();
    assertThat(options.pathFilters().get(0).matches("/" + "a".repeat(20_000))).isFalse();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1_000);
  }

  @Test
  void refusesTooManyPatternsAndRegexJsonPathFilters() {
    List<String> errors = new ArrayList<>();
    dev.tapedeck.proto.converter.v1.ConversionOptions.Builder proto =
        dev.tapedeck.proto.converter.v1.ConversionOptions.newBuilder()
            .addRedactJsonPaths("$..[?(@.name =~ /(.*a){12}c/)].secret");
    for (int i = 0; i <= ConversionOptions.MAX_LIST; i++) {
      proto.addPathFilters("/p" + i);
    }
    ConversionOptions.parse(proto.build(), errors);
    assertThat(errors)
        .containsExactly(
            "options.path_filters: at most 100 patterns are allowed",
            errors.get(1));
    assertThat(errors.get(1)).startsWith("options.redact_json_paths[0]").contains("=~ is not supported");
  }
}
