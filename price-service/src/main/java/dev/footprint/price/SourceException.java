package dev.footprint.price;

/** A source could not be read; the message is one line for logs, /catalog and readiness. */
final class SourceException extends Exception {
  private final boolean rejectsContent;

  SourceException(String message) {
    this(message, false);
  }

  private SourceException(String message, boolean rejectsContent) {
    super(message, null, false, false);
    this.rejectsContent = rejectsContent;
  }

  /** The source was read far enough to refuse the list itself (it is too large), not failed to answer. */
  static SourceException rejected(String message) {
    return new SourceException(message, true);
  }

  boolean rejectsContent() {
    return rejectsContent;
  }
}
