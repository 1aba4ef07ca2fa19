package dev.tapedeck.converter.export.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tapedeck.converter.export.Exports;
import dev.tapedeck.proto.storage.v1.StoredEntry;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EntryFilterTest {

  private static List<String> kept(
      Consumer<dev.tapedeck.proto.converter.v1.ConversionOptions.Builder> o) {
    EntryFilter filter = new EntryFilter(Exports.options(o));
    return Recordings.shop().stream()
        .filter(filter)
        .map(StoredEntry::getExchange)
        .map(
            e ->
                e.getRequest().getMethod() + " " + RequestUrl.parse(e.getRequest().getUrl()).path())
        .distinct()
        .toList();
  }

  @Test
  void keepsMethodsStatusClassesAndExactCodes() {
    assertThat(kept(o -> o.addMethods("DELETE"))).containsExactly("DELETE /users/43");
    assertThat(kept(o -> o.addStatuses("4xx"))).containsExactly("GET /missing");
    assertThat(kept(o -> o.addStatuses("201").addStatuses("204")))
        .containsExactly("POST /orders", "DELETE /users/43");
  }

  @Test
  void matchesPathGlobsAsTheRecordingFiltersDo() {
    assertThat(kept(o -> o.addPathFilters("/users/*")))
        .containsExactly("GET /users/42", "GET /users/43", "DELETE /users/43");
    assertThat(kept(o -> o.addPathFilters("/{items,orders}")))
        .containsExactly("GET /items", "POST /orders");
    assertThat(kept(o -> o.addPathFilters("/jobs"))).isEmpty();
    assertThat(kept(o -> o.addPathFilters("/jobs/**"))).hasSize(1);
    assertThat(kept(o -> o.addPathFilters("/jobs/*"))).as("* crosses /, as in session filters").hasSize(1);
  }

  @Test
  void matchesHostGlobs() {
    assertThat(kept(o -> o.addIncludeHosts("*.example.test"))).hasSize(7);
    assertThat(kept(o -> o.addIncludeHosts("other.example.test"))).isEmpty();
  }
}
