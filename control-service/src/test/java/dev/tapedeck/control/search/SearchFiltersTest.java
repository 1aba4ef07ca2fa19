package dev.tapedeck.control.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tapedeck.control.api.ApiException;
import dev.tapedeck.control.api.ErrorBody.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host glob of a search reaches MongoDB's backtracking $regex, so it is checked and bounded first. */
class SearchFiltersTest {
  private static SearchFilters.Params host(String host) {
    return new SearchFilters.Params(null, null, null, host, null, null, null, 0, 50);
  }

  @Test
  void aHostGlobWithManyStarsIsA400NamingHost() {
    ApiException e =
        catchThrowableOfType(ApiException.class, () -> SearchFilters.toRequest(host("*a*a*a*a*a*a*b"), List.of("s1")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.fields()).extracting(FieldError::field).containsExactly("host");
    assertThat(e.fields().get(0).message()).contains("at most 2");
  }

  @Test
  void anOverlongOrMalformedHostGlobIsA400NamingHost() {
    for (String bad : List.of("a".repeat(254), "api.[example.com")) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> SearchFilters.toRequest(host(bad), List.of("s1")));
      assertThat(e.fields()).extracting(FieldError::field).containsExactly("host");
    }
  }

  @Test
  void ordinaryHostGlobsPass() {
    assertThat(SearchFilters.toRequest(host("*.example.com"), List.of("s1")).getHost()).isEqualTo("*.example.com");
    assertThat(SearchFilters.toRequest(host("api.*.example.*"), List.of("s1")).getHost()).isEqualTo("api.*.example.*");
  }
}
