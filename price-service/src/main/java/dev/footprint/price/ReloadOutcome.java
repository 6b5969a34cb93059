package dev.footprint.price;

import java.util.Locale;

/** How a reload ended; the {@code outcome} label of {@code price_catalog_reloads_total}. */
enum ReloadOutcome {
  /** A new list was parsed and swapped in. */
  LOADED,
  /** The source was read, but its checksum is the list already served: nothing parsed. */
  UNCHANGED,
  /** The source said it had not changed (HTTP 304, same file): nothing read. */
  NOT_MODIFIED,
  /** The source could not be read or the list was rejected: the previous list keeps serving. */
  FAILED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
