package dev.footprint.core;

import dev.footprint.core.http.Endpoints;
import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * One service: what it starts, the endpoints it serves, what it stops. The core does the rest
 * (configuration, HTTP server per event loop, health, metrics, errors, load shedding, shutdown).
 */
public interface HttpService {

  /**
   * Called once, before the listener opens: start background work (loading a model or a price list)
   * and register readiness checks. The service may take traffic as soon as the returned future
   * completes; it tells readiness when it can really serve.
   */
  default Future<Void> start(ServiceContext context) {
    return Future.succeededFuture();
  }

  /**
   * Whether the service connects to hosts by name (an HTTP client, say). Only then does Vert.x get
   * Netty's non-blocking DNS resolver; a service that never looks a name up is spared its classes and
   * its share of start-up (measured on the converter: 77 ms of 709, 250 classes). Without it, a name
   * would be resolved by the JDK, blocking the event loop: say {@code true} when in doubt.
   */
  default boolean looksUpHostNames() {
    return true;
  }

  /**
   * The values of the {@code ${NAME}} placeholders in the service's OpenAPI document
   * ({@code openapi/<service>.json} on its class path; see {@link dev.footprint.core.http.OpenApi}):
   * its own limits, as configured.
   */
  default Map<String, Object> openApiValues() {
    return Map.of();
  }

  /**
   * The requests that exercise the service's hot path, sent to itself before it turns ready when
   * WARMUP_SECONDS is set ({@link Warmup}); called once, after {@link #start} completed. The future
   * may wait for what the requests need (a first price list), within WARMUP_SECONDS. None: no warm-up.
   */
  default Future<List<WarmupRequest>> warmupRequests() {
    return Future.succeededFuture(List.of());
  }

  /**
   * Listeners of the service's own beside the HTTP one (gRPC over HTTP/2), called once after
   * {@link #start} completed; their handlers are made on each event loop. None by default.
   */
  default List<Http2Listener> http2Listeners(ServiceContext context) {
    return List.of();
  }

  /** Called once per event loop, on that loop: declare the endpoints. */
  void endpoints(ServiceContext context, Endpoints endpoints);

  /** Called once on shutdown, after the listeners drained: release what {@link #start} took. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
