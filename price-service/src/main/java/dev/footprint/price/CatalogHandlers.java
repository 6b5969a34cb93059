package dev.footprint.price;

import dev.footprint.core.http.MediaTypes;
import dev.footprint.core.http.HttpErrors;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /catalog}: what list is served, where from, and how the last reload went.
 * {@code POST /admin/reload}: reload now and answer the outcome.
 */
final class CatalogHandlers {
  private final PriceListState state;
  private final PriceListReloader reloader;
  private final String defaultCurrency;

  CatalogHandlers(PriceListState state, PriceListReloader reloader, String defaultCurrency) {
    this.state = state;
    this.reloader = reloader;
    this.defaultCurrency = defaultCurrency;
  }

  void catalog(RoutingContext ctx) {
    LoadedPriceList list = state.current();
    JsonObject json = new JsonObject()
        .put("source", state.source())
        .put("loaded", list != null)
        .put("products", list == null ? 0 : list.catalog().size())
        .put("defaultCurrency", defaultCurrency);
    if (list != null) {
      json.put("sha256", list.sha256())
          .put("bytes", list.bytes())
          .put("origin", list.origin())
          .put("loadedAt", list.loadedAt().toString())
          .put("loadMillis", list.loadMillis());
    }
    ReloadResult last = state.lastReload();
    if (last != null) {
      json.put("lastReload", new JsonObject()
          .put("at", last.at().toString())
          .put("trigger", last.trigger().label())
          .put("outcome", last.outcome().label()));
    }
    ReloadFailure failure = state.lastFailure();
    json.put("lastError", failure == null ? null : failure.toJson());
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json.toBuffer());
  }

  /**
   * 200 {"outcome": "loaded" | "unchanged" | "not_modified", ...the list served}; 422 when the list
   * was rejected, 502 when the source could not be read, each with the reason; the previous list
   * keeps serving either way.
   */
  void reload(RoutingContext ctx) {
    Context here = Vertx.currentContext();
    reloader.reload(ReloadTrigger.ADMIN).onComplete(done -> here.runOnContext(ignored -> answer(ctx, done)));
  }

  private static void answer(RoutingContext ctx, AsyncResult<ReloadResult> done) {
    if (done.failed()) {
      ctx.fail(done.cause());
      return;
    }
    ReloadResult result = done.result();
    ReloadFailure failure = result.failure();
    if (failure != null) {
      LoadedPriceList serving = result.serving();
      String still = serving == null ? "no price list is served" : "still serving the previous list (" + serving.catalog().size()
          + " products, sha256 " + serving.sha256() + ")";
      HttpErrors.send(ctx, failure.rejectedContent() ? 422 : 502, failure.message() + "; " + still);
      return;
    }
    JsonObject json = new JsonObject().put("outcome", result.outcome().label());
    if (result.serving() != null) {
      json.mergeIn(result.serving().summary());
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json.toBuffer());
  }
}
