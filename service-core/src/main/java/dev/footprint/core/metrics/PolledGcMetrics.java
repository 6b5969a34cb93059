package dev.footprint.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * GC meters read from the collectors' and pools' MXBeans at each scrape, in place of Micrometer's
 * {@code JvmGcMetrics} and {@code JvmHeapPressureMetrics}. Those subscribe to a JMX notification per
 * collection, and for each one the JDK builds a CompositeData of every pool's usage on its Notification
 * Thread: with a 24 MiB heap under load that is ~90 collections a second and 3 % of the one CPU
 * (README, "What every service shares"). Without a listener the JDK builds nothing.
 *
 * <p>Same names where the meaning holds: {@code jvm_gc_pause_seconds_count/sum} per collector (no per-pause
 * maximum, cause or action), {@code jvm_gc_concurrent_phase_time_seconds_count/sum} for the concurrent
 * collectors' cycles, {@code jvm_gc_memory_allocated_bytes_total} (every thread's allocations),
 * {@code jvm_gc_live_data_size_bytes} and {@code jvm_gc_max_data_size_bytes} (long-lived pools after their
 * last collection, and their maximum), {@code jvm_memory_usage_after_gc} (the two as a fraction). Not
 * given: promoted bytes, and {@code jvm_gc_overhead}, which is {@code rate(jvm_gc_pause_seconds_sum[5m])}.
 */
public final class PolledGcMetrics implements MeterBinder {

  @Override
  public void bindTo(MeterRegistry registry) {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector.getCollectionCount() < 0) {
        continue;
      }
      FunctionTimer.builder(isConcurrentCycles(collector.getName()) ? "jvm.gc.concurrent.phase.time" : "jvm.gc.pause",
              collector, GarbageCollectorMXBean::getCollectionCount, GarbageCollectorMXBean::getCollectionTime,
              TimeUnit.MILLISECONDS)
          .tag("gc", collector.getName())
          .description("Time spent in collections by this collector (pauses, except for a concurrent collector's cycles)")
          .register(registry);
    }
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
      FunctionCounter.builder("jvm.gc.memory.allocated", threads, com.sun.management.ThreadMXBean::getTotalThreadAllocatedBytes)
          .baseUnit("bytes")
          .description("Bytes allocated in the heap by all threads since the JVM started")
          .register(registry);
    }
    List<MemoryPoolMXBean> longLived = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP && isLongLived(pool.getName()))
        .toList();
    if (longLived.isEmpty()) {
      return;
    }
    Gauge.builder("jvm.gc.live.data.size", () -> sum(longLived, MemoryPoolMXBean::getCollectionUsage))
        .baseUnit("bytes")
        .description("Size of the long-lived heap pools after their last collection")
        .register(registry);
    Gauge.builder("jvm.gc.max.data.size", () -> sum(longLived, MemoryPoolMXBean::getUsage, MemoryUsage::getMax))
        .baseUnit("bytes")
        .description("Maximum size of the long-lived heap pools")
        .register(registry);
    Gauge.builder("jvm.memory.usage.after.gc", () -> sum(longLived, MemoryPoolMXBean::getCollectionUsage)
            / sum(longLived, MemoryPoolMXBean::getUsage, MemoryUsage::getMax))
        .tags("area", "heap", "pool", "long-lived")
        .baseUnit("percent")
        .description("Fraction of the long-lived heap pools used after their last collection, 0 to 1")
        .register(registry);
  }

  /** The beans that time a concurrent collector's cycles rather than its pauses (names as JDK 25 gives them). */
  static boolean isConcurrentCycles(String collector) {
    return collector.endsWith("Cycles") || collector.equals("G1 Concurrent GC");
  }

  /** Where objects that survive end up: the old generation, or the one pool of a single-generation collector. */
  static boolean isLongLived(String pool) {
    return pool.endsWith("Old Gen") || pool.endsWith("Tenured Gen") || pool.equals("ZGC Old Generation")
        || pool.equals("ZHeap") || pool.equals("Shenandoah");
  }

  private static double sum(List<MemoryPoolMXBean> pools, Function<MemoryPoolMXBean, MemoryUsage> usage) {
    return sum(pools, usage, MemoryUsage::getUsed);
  }

  private static double sum(List<MemoryPoolMXBean> pools, Function<MemoryPoolMXBean, MemoryUsage> usage,
                            ToLongFunction<MemoryUsage> value) {
    double total = 0;
    for (MemoryPoolMXBean pool : pools) {
      MemoryUsage reading = usage.apply(pool);
      long bytes = reading == null ? -1 : value.applyAsLong(reading);
      if (bytes < 0) {
        return Double.NaN;
      }
      total += bytes;
    }
    return total;
  }
}
