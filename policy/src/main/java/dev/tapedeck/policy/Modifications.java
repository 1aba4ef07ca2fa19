package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the proxy changes in passing, each list applied in order: request header rules, URL
 * rewrites and request body replacements before the request goes upstream; response header rules
 * and response body replacements before the response reaches the client.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Modifications(
    List<HeaderRule> requestHeaders,
    List<HeaderRule> responseHeaders,
    List<UrlRewrite> urlRewrites,
    List<BodyReplacement> bodyReplacements) {

  public static final Modifications NONE = new Modifications(null, null, null, null);

  public Modifications {
    requestHeaders = Lists.orEmpty(requestHeaders);
    responseHeaders = Lists.orEmpty(responseHeaders);
    urlRewrites = Lists.orEmpty(urlRewrites);
    bodyReplacements = Lists.orEmpty(bodyReplacements);
  }

  public boolean none() {
    return requestHeaders.isEmpty()
        && responseHeaders.isEmpty()
        && urlRewrites.isEmpty()
        && bodyReplacements.isEmpty();
  }
}
