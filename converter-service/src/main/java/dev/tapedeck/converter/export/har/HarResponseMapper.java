package dev.tapedeck.converter.export.har;

import de.sstoehr.harreader.model.HarResponse;
import dev.tapedeck.proto.capture.v1.CapturedResponse;

/**
 * The response part of a HAR entry. An exchange without a response (the upstream failed) gets
 * status 0 and empty strings, as browsers write failed requests.
 */
final class HarResponseMapper {

  private HarResponseMapper() {}

  static HarResponse map(CapturedResponse captured) {
    HarResponse response = new HarResponse();
    response.setRawStatus(captured.getStatusCode());
    response.setStatusText(captured.getStatusText());
    response.setHttpVersion(captured.getHttpVersion());
    response.setCookies(HarCookies.fromSetCookieHeaders(captured.getHeadersList()));
    response.setHeaders(HarHeaders.of(captured.getHeadersList()));
    response.setContent(HarContentMapper.map(captured));
    response.setRedirectURL(HarHeaders.first(captured.getHeadersList(), "Location"));
    response.setHeadersSize(-1L);
    response.setBodySize(BodyComments.wireSize(captured.getBody()));
    return response;
  }
}
