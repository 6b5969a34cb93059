package dev.footprint.model.engine;

import dev.footprint.core.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The inference executor's meters: session-call latency (histogram), batch sizes in rows
 * (histogram), queue depth, and requests turned away (queue full, deadline passed, call cancelled while queued).
 */
final class InferenceMetrics {
  private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

  private final Timer inference;
  private final DistributionSummary batchRows;
  private final DistributionSummary batchRequests;
  private final Counter queueFull;
  private final Counter expired;
  private final Counter cancelled;

  InferenceMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
    inference = Timer.builder("footprint.model.inference")
        .description("Time of one TensorFlow session call (one batch)")
        .serviceLevelObjectives(Metrics.latencyBuckets())
        .register(registry);
    batchRows = DistributionSummary.builder("footprint.model.batch.size")
        .description("Instances (rows) per session call")
        .serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    batchRequests = DistributionSummary.builder("footprint.model.batch.requests")
        .description("Requests merged into one session call")
        .serviceLevelObjectives(BATCH_BUCKETS)
        .register(registry);
    Gauge.builder("footprint.model.queue.depth", queueDepth)
        .description("Requests waiting for an inference thread")
        .register(registry);
    queueFull = Counter.builder("footprint.model.requests.rejected")
        .description("Requests answered 503 without inference")
        .tag("reason", "queue_full").register(registry);
    expired = Counter.builder("footprint.model.requests.rejected")
        .description("Requests answered 503 without inference")
        .tag("reason", "deadline").register(registry);
    cancelled = Counter.builder("footprint.model.requests.rejected")
        .description("Requests answered 503 without inference")
        .tag("reason", "cancelled").register(registry);
  }

  void batch(int requests, int rows, long nanos) {
    inference.record(nanos, TimeUnit.NANOSECONDS);
    batchRows.record(rows);
    batchRequests.record(requests);
  }

  void queueFull() {
    queueFull.increment();
  }

  void expired() {
    expired.increment();
  }

  void cancelled() {
    cancelled.increment();
  }
}
