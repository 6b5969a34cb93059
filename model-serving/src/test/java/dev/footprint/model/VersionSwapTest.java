package dev.footprint.model;

import dev.footprint.core.testing.TestServer;
import dev.footprint.model.repository.ModelRepository;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A version folder swapped within one poll (the new one renamed in, the old one removed, in either
 * order) while clients predict and a probe watches readiness: not one failed request, readiness 200
 * throughout, every answer one of the published models' answers. A successor that fails to load,
 * or one that arrives polls after the old folder was removed, leaves the removed version serving
 * from memory until a successor serves.
 */
class VersionSwapTest {
  /** What each version answers for 212 °F: the formula's 100, then the same line shifted by 1000 and 2000. */
  private static final float V1 = 100f;
  private static final float V2 = 1100f;
  private static final float V3 = 2100f;
  private static final Offset<Float> TOLERANCE = Offset.offset(0.01f);
  private static final Duration EVENTUALLY = Duration.ofSeconds(30);

  @TempDir
  Path base;
  /** Outside the repository: versions are written here, then renamed in whole. */
  @TempDir
  Path staging;
  private TestServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aVersionSwappedWithinOnePollServesWithoutOneFailedRequestOrReadinessDrop() throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "1"));
    PredictionLoad load = PredictionLoad.start(port(), 4);
    try {
      load.awaitAnswers(50);

      // The new folder renamed in, then the old one removed: one poll sees both.
      Path v2 = staged(2, V2);
      Files.move(v2, modelDir().resolve("2"), StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(modelDir().resolve("1"));
      load.awaitValue(V2);
      awaitStatus(s -> state(s, 1).equals("END") && state(s, 2).equals("AVAILABLE"));

      // The other order: the old folder removed first, then the new one renamed in.
      Path v3 = staged(3, V3);
      deleteRecursively(modelDir().resolve("2"));
      Files.move(v3, modelDir().resolve("3"), StandardCopyOption.ATOMIC_MOVE);
      long firstV3 = load.awaitValue(V3);
      awaitStatus(s -> state(s, 2).equals("END") && state(s, 3).equals("AVAILABLE"));
      load.awaitAnswers(100);
      assertThat(load.valuesSentAfter(firstV3)).isNotEmpty().allSatisfy(v -> assertThat(v).isCloseTo(V3, TOLERANCE));
    } finally {
      load.stop();
    }
    System.out.printf("version swaps under load: %d predictions, %d failed; %d readiness probes, %d not 200%n",
        load.requests(), load.failures.size(), load.probes.get(), load.notReady.size());
    assertThat(load.failures).as("failed predictions").isEmpty();
    assertThat(load.notReady).as("readiness answers other than 200").isEmpty();
    assertThat(load.values()).as("answers").isNotEmpty().allSatisfy(v -> assertThat(PredictionLoad.oneOf(v, V1, V2, V3)).as("%s is a published model's answer", v).isTrue());
    assertThat(load.probes.get()).isGreaterThan(10);
  }

  @Test
  void aSuccessorThatFailsToLoadLeavesTheRemovedVersionServingFromMemory() throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "1"));
    PredictionLoad load = PredictionLoad.start(port(), 2);
    try {
      load.awaitAnswers(50);
      Path broken = TestModels.corrupt(staging, "model", 2);
      Files.move(broken, modelDir().resolve("2"), StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(modelDir().resolve("1"));

      JsonArray status = awaitStatus(s -> state(s, 2).equals("END"));
      assertThat(entry(status, 2).getJsonObject("status").getString("error_code")).isNotEqualTo("OK");
      assertThat(state(status, 1)).isEqualTo("AVAILABLE");
      assertThat(metric("footprint_model_load_failures_total{model=\"model\"")).isEqualTo(1);
      long afterFailure = System.nanoTime();
      load.awaitAnswers(100);
      assertThat(load.valuesSentAfter(afterFailure)).isNotEmpty().allSatisfy(v -> assertThat(v).isCloseTo(V1, TOLERANCE));
      // Its number too, though its folder is gone: it is loaded, and nothing has replaced it yet.
      HttpResponse<String> byNumber = post("/v1/models/model/versions/1:predict", "{\"inputs\": 212}");
      assertThat(byNumber.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(byNumber.body()).getFloat("outputs")).isCloseTo(V1, TOLERANCE);
      assertThat(get("/health/ready").statusCode()).isEqualTo(200);

      // A good successor replaces it: then, and only then, version 1 ends.
      Path v3 = staged(3, V3);
      Files.move(v3, modelDir().resolve("3"), StandardCopyOption.ATOMIC_MOVE);
      load.awaitValue(V3);
      awaitStatus(s -> state(s, 1).equals("END") && state(s, 3).equals("AVAILABLE"));
      assertThat(post("/v1/models/model/versions/1:predict", "{\"inputs\": 212}").statusCode()).isEqualTo(404);
    } finally {
      load.stop();
    }
    assertThat(load.failures).as("failed predictions").isEmpty();
    assertThat(load.notReady).as("readiness answers other than 200").isEmpty();
    assertThat(load.values()).isNotEmpty().allSatisfy(v -> assertThat(PredictionLoad.oneOf(v, V1, V3)).as("%s is a published model's answer", v).isTrue());
  }

  @Test
  void aVersionRemovedLongBeforeItsSuccessorArrivesServesUntilThen() throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "1"));
    PredictionLoad load = PredictionLoad.start(port(), 2);
    RepositoryLog log = RepositoryLog.attach();
    try {
      load.awaitAnswers(50);
      // As `rm -rf 1; cp -r /elsewhere/2 .` with a slow copy: polls see no version at all.
      deleteRecursively(modelDir().resolve("1"));
      log.await("model model version 1 kept serving from memory");
      Path v2 = staged(2, V2);
      load.awaitAnswers(100);
      assertThat(state(awaitStatus(s -> true), 1)).isEqualTo("AVAILABLE");
      Files.move(v2, modelDir().resolve("2"), StandardCopyOption.ATOMIC_MOVE);
      load.awaitValue(V2);
      awaitStatus(s -> state(s, 1).equals("END") && state(s, 2).equals("AVAILABLE"));
    } finally {
      log.detach();
      load.stop();
    }
    assertThat(load.failures).as("failed predictions").isEmpty();
    assertThat(load.notReady).as("readiness answers other than 200").isEmpty();
    assertThat(load.values()).isNotEmpty().allSatisfy(v -> assertThat(PredictionLoad.oneOf(v, V1, V2)).as("%s is a published model's answer", v).isTrue());
  }

  /** The repository's log lines, to wait for what a poll decided. */
  private static final class RepositoryLog extends Handler {
    private final Logger logger = Logger.getLogger(ModelRepository.class.getName());
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    static RepositoryLog attach() {
      RepositoryLog log = new RepositoryLog();
      log.logger.addHandler(log);
      return log;
    }

    @Override
    public void publish(LogRecord record) {
      lines.add(record.getMessage());
    }

    void await(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + EVENTUALLY.toNanos();
      while (lines.stream().noneMatch(line -> line.startsWith(prefix))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no log line \"" + prefix + "...\" within " + EVENTUALLY + ": " + lines);
        }
        Thread.sleep(20);
      }
    }

    void detach() {
      logger.removeHandler(this);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }

  private Path modelDir() {
    return base.resolve("model");
  }

  /** A version answering {@code answer} for 212 °F, written outside the repository. */
  private Path staged(long version, float answer) throws IOException {
    return TestModels.linear(staging, "model", version, 5f / 9f, -160f / 9f + (answer - V1));
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private JsonArray awaitStatus(Predicate<JsonArray> condition) throws Exception {
    long deadline = System.nanoTime() + EVENTUALLY.toNanos();
    JsonArray last = null;
    while (System.nanoTime() < deadline) {
      last = new JsonObject(get("/v1/models/model").body()).getJsonArray("model_version_status");
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("status never reached the expected state: " + last);
  }

  private double metric(String prefix) throws Exception {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private static JsonObject entry(JsonArray statuses, long version) {
    for (int i = 0; i < statuses.size(); i++) {
      if (statuses.getJsonObject(i).getString("version").equals(Long.toString(version))) {
        return statuses.getJsonObject(i);
      }
    }
    return null;
  }

  private static String state(JsonArray statuses, long version) {
    JsonObject entry = entry(statuses, version);
    return entry == null ? "-" : entry.getString("state");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int port() {
    return server.port();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
