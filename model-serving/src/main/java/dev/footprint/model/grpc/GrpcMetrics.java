package dev.footprint.model.grpc;

import dev.footprint.core.metrics.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.grpc.common.GrpcStatus;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Per gRPC method and status code: calls and their time from arrival to answer, as a bucketed
 * histogram ({@code footprint_grpc_server_calls_seconds}, labels grpc_service, grpc_method and
 * grpc_code, the names go-grpc-prometheus uses), beside the HTTP listener's own.
 */
final class GrpcMetrics {
  private final MeterRegistry registry;
  private final Duration[] buckets;

  GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
    buckets = Metrics.latencyBuckets();
  }

  Method method(String service, String method) {
    return new Method(service, method);
  }

  /** One method's timers, one per status code, made when that code is first answered. */
  final class Method {
    private final String service;
    private final String name;
    private final Timer[] byCode = new Timer[GrpcStatus.values().length];

    private Method(String service, String name) {
      this.service = service;
      this.name = name;
    }

    String fullName() {
      return service + "/" + name;
    }

    void record(GrpcStatus status, long nanos) {
      Timer timer = byCode[status.ordinal()];
      if (timer == null) {
        // A race makes the same timer twice: the registry returns the one it has.
        timer = Timer.builder("footprint.grpc.server.calls")
            .description("gRPC calls, by method and status code, from arrival to answer")
            .tags("grpc_service", service, "grpc_method", name, "grpc_code", status.name())
            .serviceLevelObjectives(buckets)
            .register(registry);
        byCode[status.ordinal()] = timer;
      }
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
