package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarRequest;
import dev.tapedeck.proto.capture.v1.CapturedRequest;

/** The request part of a HAR entry. */
final class HarRequestMapper {

  private HarRequestMapper() {}

  static HarRequest map(CapturedRequest captured) {
    return map(captured, captured.getUrl());
  }

  /** The request with {@code url} in place of the captured one (a tunnel's host:port). */
  static HarRequest map(CapturedRequest captured, String url) {
    HarRequest request = new HarRequest();
    request.setRawMethod(captured.getMethod());
    request.setUrl(url);
    request.setHttpVersion(captured.getHttpVersion());
    request.setCookies(HarCookies.fromCookieHeaders(captured.getHeadersList()));
    request.setHeaders(HarHeaders.of(captured.getHeadersList()));
    request.setQueryString(HarQueryString.of(url));
    request.setPostData(HarPostDataMapper.map(captured));
    request.setHeadersSize(-1L);
    request.setBodySize(BodyComments.wireSize(captured.getBody()));
    return request;
  }
}
