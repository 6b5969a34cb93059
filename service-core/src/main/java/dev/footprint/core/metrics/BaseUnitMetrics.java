package dev.footprint.core.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The JVM's and the process's times in seconds, Prometheus' base unit, where Micrometer's binders
 * count milliseconds ({@code jvm.compilation.time}, {@code jvm_compilation_time_ms_total}) and
 * nanoseconds ({@code process.cpu.time}, {@code process_cpu_time_ns_total}): {@code promtool check
 * metrics} flags both, and dashboards built on the conventions read {@code process_cpu_seconds_total}
 * (the name every Prometheus client library gives it) and {@code jvm_compilation_time_seconds_total}.
 * {@link #FILTER} drops Micrometer's and renames {@code system.cpu.count}, a gauge whose name would
 * end in {@code _count} as a summary's or histogram's series do, to {@code system_cpu_processors}.
 * Bind this instead of Micrometer's {@code JvmCompilationMetrics}; beside {@code ProcessorMetrics}.
 */
public final class BaseUnitMetrics implements MeterBinder {
  /** Denies {@code process.cpu.time} (in ns, replaced here) and renames {@code system.cpu.count}. */
  public static final MeterFilter FILTER = new MeterFilter() {
    @Override
    public MeterFilterReply accept(Meter.Id id) {
      return id.getName().equals("process.cpu.time")
          ? MeterFilterReply.DENY
          : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
      return id.getName().equals("system.cpu.count") ? id.withName("system.cpu").withBaseUnit("processors") : id;
    }
  };

  @Override
  public void bindTo(MeterRegistry registry) {
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation.time", compilation, c -> c.getTotalCompilationTime() / 1e3)
          .description("The approximate accumulated elapsed time spent in compilation")
          .tag("compiler", compilation.getName())
          .baseUnit("seconds")
          .register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean process) {
      FunctionCounter.builder("process.cpu", process, p -> p.getProcessCpuTime() / 1e9)
          .description("CPU time used by the process, user and system")
          .baseUnit("seconds")
          .register(registry);
    }
  }
}
