package dev.footprint.price;

/**
 * The list being served and how the last reloads went. Written only by the reloader, read by every
 * event loop: each field is one volatile reference to an immutable value.
 */
final class PriceListState {
  private final String source;
  private volatile LoadedPriceList current;
  private volatile ReloadResult lastReload;
  private volatile ReloadFailure lastFailure;
  /** Why the last list the source delivered was rejected; null when it was served. The reloader's only. */
  private ReloadFailure lastListRejection;

  PriceListState(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  /** The list to answer from, or null until the first good load. */
  LoadedPriceList current() {
    return current;
  }

  ReloadResult lastReload() {
    return lastReload;
  }

  /**
   * The last failure, until a reload finds a good list again (loaded, or the same as served), or
   * the source says it still has the list last read and that one was served (an HTTP 304 after the
   * source was unreachable: the failure is over).
   */
  ReloadFailure lastFailure() {
    return lastFailure;
  }

  void record(ReloadResult result) {
    switch (result.outcome()) {
      case LOADED -> {
        current = result.serving();
        lastFailure = null;
        lastListRejection = null;
      }
      case UNCHANGED -> {
        lastFailure = null;
        lastListRejection = null;
      }
      case FAILED -> {
        lastFailure = result.failure();
        if (result.failure().listRejected()) {
          lastListRejection = result.failure();
        }
      }
      // The source still has the list last read: its verdict stands, and any failure to deliver is over.
      case NOT_MODIFIED -> lastFailure = lastListRejection;
    }
    lastReload = result;
  }

  /** For a 503: why there is nothing to answer from yet. */
  String notLoadedReason() {
    ReloadFailure failure = lastFailure;
    return failure == null ? "price list not loaded yet: loading from " + source
        : "price list not loaded: " + failure.message();
  }
}
