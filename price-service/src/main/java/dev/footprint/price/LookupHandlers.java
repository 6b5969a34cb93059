package dev.footprint.price;

import dev.footprint.core.http.MediaTypes;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.JsonBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /prices/{productId}} and {@code POST /prices/lookup}. Each request reads the served list
 * once, so a bulk answer comes from one list even while a reload swaps another in.
 * One instance per event loop (see {@link PriceJson}).
 */
final class LookupHandlers {
  static final String IDS_FIELD = "productIds";

  private final PriceListState state;
  private final PriceMetrics metrics;
  private final int maxLookupIds;
  private final PriceJson json = new PriceJson();

  LookupHandlers(PriceListState state, PriceMetrics metrics, int maxLookupIds) {
    this.state = state;
    this.metrics = metrics;
    this.maxLookupIds = maxLookupIds;
  }

  /** GET /prices/{productId}: 200 with the price, 400 for an id that breaks the format, 404 unknown. */
  void one(RoutingContext ctx) {
    String id = ctx.pathParam("productId");
    if (!ProductIds.isValid(id)) {
      metrics.invalid.increment();
      throw HttpErrors.badRequest(ProductIds.invalidMessage(id));
    }
    LoadedPriceList list = state.current();
    if (list == null) {
      metrics.unavailable.increment();
      notLoaded(ctx, state);
      return;
    }
    int entry = list.catalog().find(id);
    if (entry < 0) {
      metrics.notFound.increment();
      // A valid id needs no JSON escaping.
      ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
          .end("{\"error\":\"no price for product id \\\"" + id + "\\\"\"}");
      return;
    }
    metrics.found.increment();
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json.entry(list.catalog(), entry));
  }

  /**
   * POST /prices/lookup {"productIds": [...]}: {"prices": [entries found, in request order],
   * "notFound": [ids not in the list]}. Every id is checked before any is looked up.
   */
  void bulk(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    Object value = body.getValue(IDS_FIELD);
    if (!(value instanceof JsonArray ids)) {
      throw HttpErrors.badRequest(value == null && !body.containsKey(IDS_FIELD)
          ? "missing field \"productIds\": send {\"productIds\": [\"P123\", ...]}"
          : "\"productIds\" must be an array of product ids, not " + JsonBodies.typeName(value));
    }
    int count = ids.size();
    if (count > maxLookupIds) {
      throw HttpErrors.error(413, count + " product ids is over the limit of " + maxLookupIds + " (MAX_LOOKUP_IDS)");
    }
    for (int i = 0; i < count; i++) {
      Object id = ids.getValue(i);
      if (!(id instanceof String text)) {
        metrics.invalid.increment();
        throw HttpErrors.badRequest("\"productIds[" + i + "]\" must be a string, not " + JsonBodies.typeName(id));
      }
      if (!ProductIds.isValid(text)) {
        metrics.invalid.increment();
        throw HttpErrors.badRequest("\"productIds[" + i + "]\": " + ProductIds.invalidMessage(text));
      }
    }
    LoadedPriceList list = state.current();
    if (list == null) {
      metrics.unavailable.increment(count);
      notLoaded(ctx, state);
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(answer(list.catalog(), ids));
  }

  private Buffer answer(PriceCatalog catalog, JsonArray ids) {
    int count = ids.size();
    int[] entries = new int[count];
    int found = 0;
    for (int i = 0; i < count; i++) {
      entries[i] = catalog.find(ids.getString(i));
      if (entries[i] >= 0) {
        found++;
      }
    }
    metrics.found.increment(found);
    metrics.notFound.increment(count - found);
    Buffer out = Buffer.buffer(32 + found * 64 + (count - found) * 16).appendString("{\"prices\":[");
    boolean first = true;
    for (int i = 0; i < count; i++) {
      if (entries[i] >= 0) {
        if (!first) {
          out.appendByte((byte) ',');
        }
        first = false;
        json.appendEntry(out, catalog, entries[i]);
      }
    }
    out.appendString("],\"notFound\":[");
    first = true;
    for (int i = 0; i < count; i++) {
      if (entries[i] < 0) {
        if (!first) {
          out.appendByte((byte) ',');
        }
        first = false;
        out.appendByte((byte) '"').appendString(ids.getString(i), StandardCharsets.US_ASCII.name()).appendByte((byte) '"');
      }
    }
    return out.appendString("]}");
  }

  /** 503 with the reason: before the first good load there is nothing to answer from. */
  static void notLoaded(RoutingContext ctx, PriceListState state) {
    HttpErrors.unavailable(ctx, 5, state.notLoadedReason());
  }
}
