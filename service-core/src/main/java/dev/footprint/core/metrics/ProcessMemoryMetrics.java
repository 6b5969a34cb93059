package dev.footprint.core.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory from {@code /proc/self/status}: {@code process_resident_memory_bytes} (VmRSS) and
 * {@code process_resident_memory_peak_bytes} (VmHWM), which Micrometer's JVM binders do not give.
 * Footprint is what this project measures, so RSS and its peak are first-class. Linux only; absent elsewhere.
 */
public final class ProcessMemoryMetrics implements MeterBinder {
  private static final Path STATUS = Path.of("/proc/self/status");

  @Override
  public void bindTo(MeterRegistry registry) {
    if (!Files.isReadable(STATUS)) {
      return;
    }
    Gauge.builder("process.resident.memory", () -> readKib("VmRSS:") * 1024.0)
        .description("Resident set size of the process")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("process.resident.memory.peak", () -> readKib("VmHWM:") * 1024.0)
        .description("Peak resident set size of the process since it started")
        .baseUnit("bytes")
        .register(registry);
  }

  /** A {@code /proc/self/status} field in KiB, or NaN when unreadable. */
  public static double readKib(String field) {
    try {
      List<String> lines = Files.readAllLines(STATUS);
      for (String line : lines) {
        if (line.startsWith(field)) {
          String value = line.substring(field.length()).trim();
          int space = value.indexOf(' ');
          return Long.parseLong(space < 0 ? value : value.substring(0, space));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
