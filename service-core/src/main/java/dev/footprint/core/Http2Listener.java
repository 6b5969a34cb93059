package dev.footprint.core;

import dev.footprint.core.http.LoadShedder;
import dev.footprint.core.http.PendingBodies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Function;

/**
 * A listener of a service's own beside its HTTP/1.1 one, for a protocol carried over HTTP/2 (gRPC):
 * cleartext with prior knowledge, on {@code port} (0: any free one), under the same connection limit,
 * event loops and shutdown as the HTTP listener. At shutdown, once the delay is over, its connections
 * get GOAWAY and close as their calls end.
 *
 * @param name            what logs and {@link RunningService#port(String)} call it
 * @param handlerPerLoop  called once on each event loop, on it: that loop's request handler, given the
 *                        process's bounds that its calls share with the HTTP listener's requests
 * @param maxConcurrentStreams calls one connection may have in progress (HTTP/2's own setting)
 */
public record Http2Listener(String name, int port, int maxConcurrentStreams, Function<Shared, Handler<HttpServerRequest>> handlerPerLoop) {
  /**
   * @param shedder       requests in progress (MAX_INFLIGHT_REQUESTS)
   * @param pendingBodies memory for request bodies still arriving (MAX_PENDING_BODY_BYTES)
   */
  public record Shared(LoadShedder shedder, PendingBodies pendingBodies) {
  }
}
