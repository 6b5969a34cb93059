package dev.footprint.model;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar as a user starts it, {@code java -jar model-serving.jar}, with no setup: it finds
 * the build's default model and the unpacked native libraries next to the jar, and writes nothing
 * under the home or temporary folder (no JavaCPP cache), as a read-only root filesystem requires.
 */
class ModelServingProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path home;

  @Test
  void startsWithTheDefaultModelServesAndExitsZeroOnSigterm() throws Exception {
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("EVENT_LOOPS", "1", "HOME", home.toString(), "TF_CPP_MIN_LOG_LEVEL", "1"),
        "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp, "-XX:+UseSerialGC", "-Xmx64m")) {
      service.awaitReady(Duration.ofSeconds(60));
      assertThat(service.output())
          .contains("model-serving ready port=" + service.port())
          .containsPattern("TensorFlow [0-9.]+ native libraries loaded from .*target/native/linux-x86_64")
          .contains("model model version 1 available");

      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + service.port() + "/v1/models/model:predict"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": 42}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"outputs\":" + TestModels.celsius(42f) + "}");

      assertThat(home.resolve(".javacpp")).doesNotExist();
      try (var inTmp = Files.list(tmp)) {
        assertThat(inTmp.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains("javacpp"));
      }

      assertThat(service.terminate(Duration.ofSeconds(30))).isZero();
      assertThat(service.output()).contains("stopped in");
    }
  }

  @Test
  void aBadVariableStopsTheStartInOneLineWithExitCode2() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("MODEL_VERSION_POLICY", "newest"))) {
      assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(service.output().strip()).isEqualTo("model-serving: configuration error: MODEL_VERSION_POLICY=\"newest\" "
          + "is invalid: expected latest, latest:<N>, all or specific:<v>[,<v>...]");
    }
  }
}
