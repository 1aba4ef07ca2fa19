package dev.tapedeck.policy;

/** One field at fault: its JSON path ({@code filters.includeHosts[1]}) and what is wrong. */
public record Problem(String field, String message) {}
