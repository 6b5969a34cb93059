package dev.footprint.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The GC meters follow this JVM's own collections and allocations, read when asked. */
class PolledGcMetricsTest {
  private static volatile Object sink;

  @Test
  void countsCollectionsAndAllocationsOfThisJvm() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PolledGcMetrics().bindTo(registry);
    double collectionsBefore = collections(registry);
    double allocatedBefore = registry.get("jvm.gc.memory.allocated").functionCounter().count();

    for (int i = 0; i < 64; i++) {
      sink = new byte[256 * 1024];
    }
    System.gc();

    assertThat(collections(registry)).isGreaterThanOrEqualTo(collectionsBefore + 1);
    assertThat(registry.find("jvm.gc.pause").functionTimers())
        .allSatisfy(timer -> assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(0))
        .isNotEmpty();
    FunctionCounter allocated = registry.get("jvm.gc.memory.allocated").functionCounter();
    assertThat(allocated.count() - allocatedBefore).isGreaterThanOrEqualTo(64 * 256 * 1024);
    Gauge live = registry.get("jvm.gc.live.data.size").gauge();
    Gauge max = registry.get("jvm.gc.max.data.size").gauge();
    assertThat(live.value()).isPositive().isLessThanOrEqualTo(max.value());
    assertThat(registry.get("jvm.memory.usage.after.gc").tag("pool", "long-lived").gauge().value())
        .isCloseTo(live.value() / max.value(), org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void tellsPausesFromConcurrentCyclesAndFindsTheLongLivedPools() {
    assertThat(PolledGcMetrics.isConcurrentCycles("ZGC Major Cycles")).isTrue();
    assertThat(PolledGcMetrics.isConcurrentCycles("G1 Concurrent GC")).isTrue();
    assertThat(PolledGcMetrics.isConcurrentCycles("Shenandoah Cycles")).isTrue();
    assertThat(PolledGcMetrics.isConcurrentCycles("ZGC Major Pauses")).isFalse();
    assertThat(PolledGcMetrics.isConcurrentCycles("G1 Young Generation")).isFalse();
    assertThat(PolledGcMetrics.isConcurrentCycles("Copy")).isFalse();
    assertThat(PolledGcMetrics.isLongLived("Tenured Gen")).isTrue();
    assertThat(PolledGcMetrics.isLongLived("G1 Old Gen")).isTrue();
    assertThat(PolledGcMetrics.isLongLived("PS Old Gen")).isTrue();
    assertThat(PolledGcMetrics.isLongLived("ZGC Old Generation")).isTrue();
    assertThat(PolledGcMetrics.isLongLived("Eden Space")).isFalse();
    assertThat(PolledGcMetrics.isLongLived("G1 Survivor Space")).isFalse();
  }

  private static double collections(SimpleMeterRegistry registry) {
    return registry.find("jvm.gc.pause").functionTimers().stream().mapToDouble(FunctionTimer::count).sum()
        + registry.find("jvm.gc.concurrent.phase.time").functionTimers().stream().mapToDouble(FunctionTimer::count).sum();
  }
}
