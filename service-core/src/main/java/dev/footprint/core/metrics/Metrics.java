package dev.footprint.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.time.Duration;
import java.util.List;

/**
 * The Prometheus registry every service reports to: Vert.x HTTP server metrics labelled by method,
 * status code and route template (never the raw path, which would make one series per id), JVM
 * memory, GC, threads and classes, process CPU, file descriptors and resident memory.
 */
public final class Metrics {
  /** Latency buckets shared by every timer that publishes a histogram: 100 µs to 10 s. */
  private static final Duration[] LATENCY_BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10)};

  private static final CharSequence PROMETHEUS_TEXT =
      HttpHeaders.createOptimized("text/plain; version=0.0.4; charset=utf-8");

  private final PrometheusMeterRegistry registry;
  private final Promise<Void> runtimeBound = Promise.promise();

  public Metrics(String serviceName, String appId) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config()
        .commonTags("service", serviceName)
        // Request and response sizes double the series per route and say little here.
        .meterFilter(MeterFilter.denyNameStartsWith("vertx.http.server.request.bytes"))
        .meterFilter(MeterFilter.denyNameStartsWith("vertx.http.server.response.bytes"))
        // Prometheus' conventions: times in seconds, no gauge named like a summary's _count.
        .meterFilter(BaseUnitMetrics.FILTER)
        .meterFilter(new MeterFilter() {
          @Override
          public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getType() == Meter.Type.TIMER && id.getName().startsWith("vertx.http.server.")) {
              return latencyHistogram().merge(config);
            }
            return config;
          }
        });
    io.micrometer.core.instrument.Gauge.builder("footprint.instance.info", () -> 1.0)
        .description("Constant 1, labelled with this process's app_id")
        .tag("app_id", appId)
        .register(registry);
  }

  /**
   * Binds the JVM and process meters (memory, GC, threads, classes, compilation, CPU, file
   * descriptors, resident memory) on a worker thread. Called once the service is ready: reading the
   * management beans costs tens of milliseconds that a start need not wait for. A scrape waits for it.
   */
  public Future<Void> bindRuntimeMetrics(Vertx vertx) {
    vertx.<Void>executeBlocking(() -> {
      List.<MeterBinder>of(new ClassLoaderMetrics(), new BaseUnitMetrics(), new PolledGcMetrics(),
              new JvmInfoMetrics(), new JvmMemoryMetrics(), new JvmThreadMetrics(),
              new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics(), new ProcessMemoryMetrics())
          .forEach(binder -> binder.bindTo(registry));
      return null;
    }, false).onComplete(runtimeBound);
    return runtimeBound.future();
  }

  /** The shared latency buckets, for a service's own timers (Timer.Builder#serviceLevelObjectives). */
  public static Duration[] latencyBuckets() {
    return LATENCY_BUCKETS.clone();
  }

  /** Bucketed (not client-side percentile) so p50/p99 aggregate across replicas in PromQL. */
  public static DistributionStatisticConfig latencyHistogram() {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(false)
        .serviceLevelObjectives(toNanos(LATENCY_BUCKETS))
        .build();
  }

  private static double[] toNanos(Duration[] durations) {
    double[] nanos = new double[durations.length];
    for (int i = 0; i < durations.length; i++) {
      nanos[i] = durations[i].toNanos();
    }
    return nanos;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Vert.x metrics options that report into {@link #registry()}; without Vert.x's HTTP server metrics unless asked. */
  public MicrometerMetricsOptions vertxOptions(boolean vertxHttpMetrics) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions()
        .setEnabled(true)
        // Bound by bindRuntimeMetrics, after the service is ready.
        .setJvmMetricsEnabled(false)
        .setLabels(java.util.EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME))
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        // The warm-up's client (and price-service's URL source) would add series nobody reads, and each
        // new client logged a warning about its gauge being registered twice.
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    if (!vertxHttpMetrics) {
      options.addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER);
    }
    return options;
  }

  /** GET /metrics: the scrape runs on a worker thread, off the event loop, once the runtime meters are bound. */
  public Handler<RoutingContext> scrapeHandler(Vertx vertx) {
    return ctx -> runtimeBound.future().transform(bound -> vertx.executeBlocking(registry::scrape, false)).onComplete(result -> {
      if (result.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT).end(result.result());
      } else {
        ctx.fail(result.cause());
      }
    });
  }
}
