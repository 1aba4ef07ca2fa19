package dev.tapedeck.converter.export;

/**
 * The session an export is made of, as the document and its file name name it.
 *
 * @param sessionId the session id
 * @param sessionName the session's name, empty when it has none
 * @param creatorVersion the version of Tapedeck writing the document
 */
public record ExportSession(String sessionId, String sessionName, String creatorVersion) {

  /** The name to show: the session's name, or its id when it has none. */
  public String title() {
    return sessionName.isBlank() ? sessionId : sessionName.trim();
  }

  /**
   * The file name of the export: the title with path separators, quotes, control characters and
   * the other characters some file systems refuse replaced by {@code _}, and never starting with a
   * dot.
   */
  public String fileName(String extension) {
    String base = title().replaceAll("[\\\\/:*?\"<>|\\p{Cntrl}]", "_");
    return (base.isEmpty() || base.startsWith(".") ? "session" + base : base) + extension;
  }
}
