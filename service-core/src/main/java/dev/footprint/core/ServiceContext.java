package dev.footprint.core;

import dev.footprint.core.config.CoreConfig;
import dev.footprint.core.config.Env;
import dev.footprint.core.health.Readiness;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * What a service is given: its Vert.x, the shared settings, the environment for its own settings,
 * who it is, its readiness and the registry for its own metrics.
 */
public record ServiceContext(
    String serviceName,
    Vertx vertx,
    CoreConfig config,
    Env env,
    InstanceId instance,
    Readiness readiness,
    MeterRegistry meterRegistry) {
}
