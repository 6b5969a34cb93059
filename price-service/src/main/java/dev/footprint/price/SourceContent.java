package dev.footprint.price;

/** What a read of the source gave: the same as last time (nothing was read), or the bytes of the list. */
sealed interface SourceContent {

  /** The source says nothing changed since the last read: an HTTP 304, or the same file and modification time. */
  record NotModified(String why) implements SourceContent {
  }

  /** @param origin what was read, for logs and /catalog: the real file path, or the URL with its ETag */
  record Content(byte[] bytes, String origin) implements SourceContent {
  }
}
