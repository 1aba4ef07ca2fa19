package dev.tapedeck.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One header modification: {@code add} appends a header line (existing ones stay), {@code replace}
 * sets the value of a header that is present (all its lines become one), {@code remove} drops
 * every line of that name. Names compare case-insensitively.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HeaderRule(String action, String name, String value) {}
