package dev.tapedeck.control.export;

import java.util.List;

/**
 * The body of {@code POST /{id}/export}: which entries (all when empty) and which format
 * ({@code har} by default).
 */
public record ExportRequestBody(List<String> entryIds, String format) {}
