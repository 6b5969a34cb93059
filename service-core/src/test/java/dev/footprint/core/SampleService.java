package dev.footprint.core;

import dev.footprint.core.health.Readiness;
import dev.footprint.core.http.Endpoints;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.JsonBodies;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** A service with one endpoint of each kind the core must handle, for the core's own tests. */
final class SampleService implements HttpService {
  static final ServiceSpec SPEC = new ServiceSpec("sample", 8080, env -> new SampleService());

  volatile Readiness.Check dependency;
  volatile boolean stopped;
  /** Whether the last {@code /sum} was answered through the router, as its stack shows. */
  volatile boolean lastSumRouted;
  /** What WARMUP_SECONDS sends: none unless a test sets it before the start. */
  volatile List<WarmupRequest> warmup = List.of();

  @Override
  public Future<List<WarmupRequest>> warmupRequests() {
    return Future.succeededFuture(warmup);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    dependency = context.readiness().register("sample-dependency", "not loaded yet");
    return Future.succeededFuture();
  }

  @Override
  public void endpoints(ServiceContext context, Endpoints endpoints) {
    endpoints
        .path("/echo", r -> r.post(ctx -> ctx.json(new JsonObject().put("echo", JsonBodies.object(ctx)))))
        .path("/sum", r -> r.postJson(body -> {
          lastSumRouted = StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("io.vertx.ext.web.impl.RoutingContext")));
          JsonObject request = JsonBodies.object(body);
          if (request.containsKey("boom")) {
            throw new IllegalStateException("secret internal detail");
          }
          if (!(request.getValue("values") instanceof JsonArray values)) {
            throw HttpErrors.badRequest("\"values\" must be an array");
          }
          double sum = 0;
          for (int i = 0; i < values.size(); i++) {
            sum += JsonBodies.finiteDouble(values.getValue(i), "values[" + i + "]");
          }
          return new JsonObject().put("sum", sum).put("count", values.size()).encode();
        }))
        .path("/items/:id", r -> r.get(ctx -> ctx.json(new JsonObject().put("id", ctx.pathParam("id")))))
        .path("/slow", r -> r.get(ctx -> {
          long millis = Long.parseLong(ctx.queryParam("ms").get(0));
          context.vertx().setTimer(millis, id -> ctx.json(new JsonObject().put("slept", millis)));
        }))
        .path("/block", r -> r.get(ctx -> {
          // What a blocking call on an event loop does: nothing else runs on that loop meanwhile.
          long until = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Long.parseLong(ctx.queryParam("ms").get(0)));
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          ctx.json(new JsonObject().put("blocked", true));
        }))
        .path("/boom", r -> r.get(ctx -> {
          throw new IllegalStateException("secret internal detail");
        }));
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    return Future.succeededFuture();
  }
}
