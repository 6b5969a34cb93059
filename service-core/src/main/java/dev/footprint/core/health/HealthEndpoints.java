package dev.footprint.core.health;

import dev.footprint.core.http.MediaTypes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /health/live: 200 while every event loop runs, else 503 naming the stuck one. GET
 * /health/ready: 200 when every readiness check is up, else 503; both bodies list each check with
 * its status and, when down, the reason.
 */
public final class HealthEndpoints {
  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  private static final String LIVE = new JsonObject().put("status", "UP").encode();

  private final HealthChecks checks;
  private final EventLoopWatch loops;

  public HealthEndpoints(Vertx vertx, Readiness readiness, EventLoopWatch loops) {
    this.checks = HealthChecks.create(vertx);
    this.loops = loops;
    readiness.exposeTo(checks);
  }

  public void live(RoutingContext ctx) {
    int stalled = loops.stalledLoop();
    if (stalled < 0) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(LIVE);
      return;
    }
    ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
        .end(new JsonObject().put("status", "DOWN")
            .put("reason", "event loop " + stalled + " has not run for over " + loops.delayNanos() / 1_000_000 + " ms").encode());
  }

  public void ready(RoutingContext ctx) {
    checks.checkStatus().onComplete((result, failure) -> {
      if (failure != null) {
        ctx.fail(failure);
        return;
      }
      ctx.response()
          .setStatusCode(CheckResult.isUp(result) ? 200 : 503)
          .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
          .end(result.toJson().encode());
    });
  }
}
