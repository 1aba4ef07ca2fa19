package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A regex URL rewrite: every match of {@code match} in the request's path and query is replaced
 * by {@code replace}, where {@code $1} or {@code ${name}} insert capture groups.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UrlRewrite(String match, String replace) {}
