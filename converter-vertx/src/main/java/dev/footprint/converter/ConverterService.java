package dev.footprint.converter;

import dev.footprint.core.HttpService;
import dev.footprint.core.ServiceContext;
import dev.footprint.core.WarmupRequest;
import dev.footprint.core.config.Env;
import dev.footprint.core.http.Endpoints;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * The converter: {@code POST /convert} (one value or a batch), {@code GET /convert?fahrenheit=},
 * and {@code GET /} (the hello baseline). MAX_BATCH_SIZE caps a batch (default 10,000).
 */
public final class ConverterService implements HttpService {
  private final int maxBatchSize;

  public ConverterService(Env env) {
    this.maxBatchSize = env.integer("MAX_BATCH_SIZE", 10_000, 1, 10_000_000);
  }

  /** It only answers; it never connects anywhere. */
  @Override
  public boolean looksUpHostNames() {
    return false;
  }

  @Override
  public Map<String, Object> openApiValues() {
    return Map.of("MAX_BATCH_SIZE", maxBatchSize);
  }

  /** Its main request, as users send it (WARMUP_SECONDS). */
  @Override
  public Future<List<WarmupRequest>> warmupRequests() {
    return Future.succeededFuture(List.of(WarmupRequest.postJson("/convert", "{\"fahrenheit\": 98.6}")));
  }

  @Override
  public void endpoints(ServiceContext context, Endpoints endpoints) {
    ConvertHandlers convert = new ConvertHandlers(context.instance().appId(), maxBatchSize);
    HelloHandler hello = new HelloHandler(context.instance().appId());
    endpoints
        .path("/", r -> r.get(hello))
        .path("/convert", r -> r.postJson(convert::post).get(convert::get));
  }
}
