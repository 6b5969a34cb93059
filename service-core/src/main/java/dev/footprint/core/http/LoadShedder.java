package dev.footprint.core.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the requests in progress across the process. Past the bound a request is answered 503 with
 * {@code Retry-After} at once, so an overloaded service sheds load instead of queueing without end.
 * It runs once the body is in: a request still arriving holds a connection (bounded by
 * MAX_CONNECTIONS and the body timeout) and body memory (MAX_PENDING_BODY_BYTES), never a slot here,
 * so clients trickling bodies cannot starve those whose requests are complete.
 */
public final class LoadShedder implements Handler<RoutingContext> {

  private final int limit;
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger shed = new AtomicInteger();
  private final Handler<AsyncResult<Void>> release = ignored -> release();

  public LoadShedder(int limit) {
    this.limit = limit;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!tryAcquire()) {
      HttpErrors.unavailable(ctx, 1, overloaded());
      return;
    }
    ctx.addEndHandler(release);
    ctx.next();
  }

  /**
   * Takes a slot for a request that is not routed (a gRPC call): false, and counted as shed, when
   * {@code MAX_INFLIGHT_REQUESTS} are in progress; otherwise {@link #release()} must follow.
   */
  public boolean tryAcquire() {
    if (inflight.incrementAndGet() > limit) {
      inflight.decrementAndGet();
      shed.incrementAndGet();
      return false;
    }
    return true;
  }

  public void release() {
    inflight.decrementAndGet();
  }

  /** Why a request was shed, as its answer says it. */
  public String overloaded() {
    return "overloaded: " + limit + " requests already in progress (MAX_INFLIGHT_REQUESTS)";
  }

  /** Exposes requests in progress and requests shed. */
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("vertx.http.server.active.requests", inflight, AtomicInteger::get)
        .description("Requests to the service's endpoints in progress, their bodies received")
        .register(registry);
    FunctionCounter.builder("footprint.http.shed", shed, AtomicInteger::get)
        .description("Requests answered 503 because MAX_INFLIGHT_REQUESTS were in progress")
        .register(registry);
  }

  public int inflight() {
    return inflight.get();
  }

  public int shedCount() {
    return shed.get();
  }
}
