package dev.footprint.price;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A catalog with what is known about where it came from. Immutable: swapping the reference is
 * swapping the whole list, so a reader sees the old list or the new one, never a mix.
 *
 * @param origin    what was read: the file the path resolved to, or the URL and its ETag
 * @param loadMillis time to read, check and parse it
 */
record LoadedPriceList(PriceCatalog catalog, String sha256, long bytes, String origin, Instant loadedAt, long loadMillis) {

  JsonObject summary() {
    return new JsonObject()
        .put("products", catalog.size())
        .put("sha256", sha256)
        .put("loadedAt", loadedAt.toString());
  }
}
