package dev.footprint.price;

import dev.footprint.core.HttpService;
import dev.footprint.core.ServiceContext;
import dev.footprint.core.WarmupRequest;
import dev.footprint.core.config.Env;
import dev.footprint.core.http.Endpoints;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The price service: product prices from a flat file or a URL (PRICES_SOURCE), reloaded while it
 * runs. Lookups by id ({@code GET /prices/{id}}, {@code POST /prices/lookup}), the Flask service's
 * {@code GET /price?product_id=}, the list's metadata ({@code GET /catalog}) and an operator's reload
 * ({@code POST /admin/reload}).
 */
public final class PriceService implements HttpService {
  private final PriceSettings settings;
  private PriceListState state;
  private PriceMetrics metrics;
  private PriceListSource source;
  private PriceListReloader reloader;
  private Future<ReloadResult> firstLoad;
  private WorkerExecutor worker;
  private Vertx vertx;
  private long pollTimer = -1;

  public PriceService(Env env) {
    this.settings = PriceSettings.from(env);
  }

  /** Only a price list at a URL is fetched by host name; a file needs no resolver. */
  @Override
  public boolean looksUpHostNames() {
    return settings.sourceUrl() != null;
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    vertx = context.vertx();
    // One thread: reads and parses never overlap, and never take the shared worker pool's threads.
    worker = vertx.createSharedWorkerExecutor("price-list-loader", 1, 5, TimeUnit.MINUTES);
    Context loaderContext = vertx.getOrCreateContext();
    source = settings.sourceUrl() != null
        ? new UrlSource(settings.sourceUrl(), settings.maxBytes(), TimeUnit.SECONDS.toMillis(settings.httpTimeoutSeconds()), vertx)
        : new FileSource(settings.sourceFile(), settings.maxBytes(), vertx, worker);
    state = new PriceListState(source.describe());
    metrics = new PriceMetrics(context.meterRegistry(), state);
    var readiness = context.readiness().register(PriceListReloader.CHECK_NAME, "loading the price list from " + source.describe());
    reloader = new PriceListReloader(source, state, loaderContext, worker, settings.currency(), settings.maxProducts(),
        readiness, metrics);
    // Not awaited: the listener (and liveness) must answer while a slow source loads; readiness waits for it.
    firstLoad = reloader.reload(ReloadTrigger.START);
    source.watch(() -> reloader.reload(ReloadTrigger.WATCH));
    if (settings.pollSeconds() > 0) {
      pollTimer = vertx.setPeriodic(TimeUnit.SECONDS.toMillis(settings.pollSeconds()), id -> reloader.reload(ReloadTrigger.POLL));
    }
    return Future.succeededFuture();
  }

  /** A lookup of the list's first product, once the first list loaded (none if it did not). */
  @Override
  public Future<List<WarmupRequest>> warmupRequests() {
    return firstLoad.map(result -> {
      LoadedPriceList list = state.current();
      if (list == null || list.catalog().size() == 0) {
        return List.of();
      }
      String id = list.catalog().id(0);
      return List.of(WarmupRequest.get("/prices/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")));
    });
  }

  @Override
  public Map<String, Object> openApiValues() {
    return Map.of("MAX_LOOKUP_IDS", settings.maxLookupIds(), "PRICES_CURRENCY", settings.currency());
  }

  @Override
  public void endpoints(ServiceContext context, Endpoints endpoints) {
    LookupHandlers lookups = new LookupHandlers(state, metrics, settings.maxLookupIds());
    CompatPriceHandler compat = new CompatPriceHandler(state, metrics);
    CatalogHandlers catalog = new CatalogHandlers(state, reloader, settings.currency());
    endpoints
        // Before /prices/:productId, so that POST /prices/lookup is not taken for an id.
        .path("/prices/lookup", r -> r.post(lookups::bulk))
        .path("/prices/:productId", r -> r.get(lookups::one))
        .path("/price", r -> r.get(compat))
        .path("/catalog", r -> r.get(catalog::catalog))
        .path("/admin/reload", r -> r.post(catalog::reload));
  }

  @Override
  public Future<Void> stop() {
    if (pollTimer >= 0) {
      vertx.cancelTimer(pollTimer);
    }
    Future<Void> closed = source == null ? Future.succeededFuture() : source.close();
    return closed.eventually(() -> worker == null ? Future.succeededFuture() : worker.close());
  }
}
