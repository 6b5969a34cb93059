package dev.footprint.price;

import dev.footprint.core.http.HttpErrors;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code GET /price?product_id=P124}: the contract of the Flask service this replaces, so its clients
 * and its k6 test run unchanged. 200 with the price as plain text ({@code 49.5}), or 404 with an
 * empty body for an id it does not know, malformed ids included (Flask looked them up like any other).
 * Like Flask's {@code request.args.get}, a repeated parameter counts once: the first.
 * One instance per event loop.
 */
final class CompatPriceHandler implements Handler<RoutingContext> {
  private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain; charset=utf-8");
  static final String PARAMETER = "product_id";

  private final PriceListState state;
  private final PriceMetrics metrics;
  private final PriceJson json = new PriceJson();

  CompatPriceHandler(PriceListState state, PriceMetrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> values = ctx.queryParam(PARAMETER);
    if (values.isEmpty()) {
      throw HttpErrors.badRequest("missing query parameter \"product_id\": try /price?product_id=P123");
    }
    String id = values.get(0);
    LoadedPriceList list = state.current();
    if (list == null) {
      metrics.unavailable.increment();
      LookupHandlers.notLoaded(ctx, state);
      return;
    }
    int entry = -1;
    if (!ProductIds.isValid(id)) {
      metrics.invalid.increment();
    } else if ((entry = list.catalog().find(id)) < 0) {
      metrics.notFound.increment();
    }
    if (entry < 0) {
      ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end();
      return;
    }
    metrics.found.increment();
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end(json.plainPrice(list.catalog(), entry));
  }
}
