package dev.footprint.core;

import dev.footprint.core.connection.ConnectionGuard;
import dev.footprint.core.health.EventLoopWatch;
import dev.footprint.core.health.HealthEndpoints;
import dev.footprint.core.http.LoadShedder;
import dev.footprint.core.http.PendingBodies;
import dev.footprint.core.metrics.HttpServerMetrics;
import dev.footprint.core.metrics.Metrics;
import io.vertx.core.buffer.Buffer;

/**
 * What every event loop's server shares across the process: the bounds on requests, bodies and
 * connections, the health endpoints and the watch on the loops, the metrics (null when disabled), the
 * OpenAPI document encoded.
 */
record ServerParts(
    HealthEndpoints health,
    EventLoopWatch loops,
    LoadShedder shedder,
    PendingBodies pendingBodies,
    ConnectionGuard connections,
    Metrics metrics,
    HttpServerMetrics httpMetrics,
    Buffer openApi) {
}
