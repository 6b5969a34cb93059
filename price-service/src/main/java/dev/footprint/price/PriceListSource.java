package dev.footprint.price;

import io.vertx.core.Future;

/** Where the price list comes from: a file or an http(s) URL (PRICES_SOURCE). */
interface PriceListSource {

  /** For logs and /catalog; never a credential. */
  String describe();

  /**
   * Reads the list unless the source can tell, cheaply, that it has not changed since the last read
   * and {@code force} is false. Called on the loader's context, one call at a time.
   */
  Future<SourceContent> fetch(boolean force);

  /** Starts telling {@code onChange} (on any thread) when the list may have changed, where the source can. */
  default void watch(Runnable onChange) {
  }

  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
