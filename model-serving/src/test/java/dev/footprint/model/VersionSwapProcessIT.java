package dev.footprint.model;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-client suite's version swap, against the runnable jar with the image's JVM flags:
 * version 2 renamed in and version 1 removed within one poll while clients predict. Zero failed
 * predictions, readiness 200 throughout, every answer version 1's or 2's, the process's peak RSS
 * under the Deployment's 512Mi limit, exit 0 on SIGTERM.
 */
class VersionSwapProcessIT {
  private static final Path IMAGE_FLAGS = Path.of("src/main/jib/etc/footprint/jvm.options");
  private static final long MEMORY_LIMIT_BYTES = 512L * 1024 * 1024;
  private static final float V1 = 100f;
  private static final float V2 = 1100f;

  @TempDir
  Path base;
  @TempDir
  Path staging;

  @Test
  void aVersionSwappedWithinOnePollUnderLoadLosesNothing() throws Exception {
    TestModels.formula(base, "model", 1);
    // MaxRAM stands for the pod's memory limit, which the JVM would read from its cgroup.
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("EVENT_LOOPS", "1", "MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "1", "TF_CPP_MIN_LOG_LEVEL", "1"),
        "@" + IMAGE_FLAGS.toAbsolutePath(), "-XX:MaxRAM=" + MEMORY_LIMIT_BYTES)) {
      service.awaitReady(Duration.ofSeconds(60));
      PredictionLoad load = PredictionLoad.start(service.port(), 4);
      try {
        load.awaitAnswers(100);
        Path v2 = TestModels.linear(staging, "model", 2, 5f / 9f, -160f / 9f + (V2 - V1));
        Files.move(v2, base.resolve("model/2"), StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(base.resolve("model/1"));
        long firstV2 = load.awaitValue(V2);
        load.awaitAnswers(300);
        assertThat(load.valuesSentAfter(firstV2)).isNotEmpty().allSatisfy(v -> assertThat(PredictionLoad.oneOf(v, V2)).isTrue());
      } finally {
        load.stop();
      }
      long peakRss = service.peakRssBytes();
      System.out.printf("version swap against the jar: %d predictions, %d failed; %d readiness probes, %d not 200; peak RSS %d MiB%n",
          load.requests(), load.failures.size(), load.probes.get(), load.notReady.size(), peakRss >> 20);
      assertThat(load.failures).as("failed predictions").isEmpty();
      assertThat(load.notReady).as("readiness answers other than 200").isEmpty();
      assertThat(load.values()).allSatisfy(v -> assertThat(PredictionLoad.oneOf(v, V1, V2)).as("%s is a published model's answer", v).isTrue());
      // Whether a poll fell between the rename and the removal (then "version 1 kept serving from memory" is
      // logged) is timing; either way not one prediction failed.
      assertThat(peakRss).as("peak RSS").isLessThan(MEMORY_LIMIT_BYTES);
      assertThat(service.terminate(Duration.ofSeconds(30))).isZero();
    }
  }

  private static void deleteRecursively(Path folder) throws Exception {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
