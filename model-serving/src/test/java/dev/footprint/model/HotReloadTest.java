package dev.footprint.model;

import dev.footprint.core.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Versions published into the repository while clients keep calling: version 2 takes over with no
 * failed request; a corrupt version 3 and a version 4 with a signature this server cannot serve are
 * shown as failed in the status and never replace version 2.
 */
class HotReloadTest {
  private static final float V2_BIAS_SHIFT = 1000f;
  @TempDir
  Path base;
  private TestServer server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void newVersionsTakeOverWithoutFailuresAndBrokenOnesNeverServe() throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "1"));
    ClientLoop loop = new ClientLoop(4);
    try {
      loop.awaitAnswers(50);
      assertThat(loop.lastValue()).isEqualTo(100f);

      TestModels.linear(base, "model", 2, 5f / 9f, -160f / 9f + V2_BIAS_SHIFT);
      long firstV2 = loop.awaitValue(v -> v > V2_BIAS_SHIFT, Duration.ofSeconds(20));
      loop.awaitAnswers(200);
      // Every request sent after the first answer from version 2 arrived was answered by version 2.
      assertThat(loop.valuesSentAfter(firstV2)).isNotEmpty().allSatisfy(v -> assertThat(v).isCloseTo(1100f, org.assertj.core.api.Assertions.within(0.01f)));
      awaitStatus(s -> versionState(s, 2).equals("AVAILABLE") && versionState(s, 1).equals("END"));

      TestModels.corrupt(base, "model", 3);
      JsonArray status = awaitStatus(s -> versionState(s, 3).equals("END"));
      assertThat(entry(status, 3).getJsonObject("status").getString("error_code")).isNotEqualTo("OK");
      assertThat(entry(status, 3).getJsonObject("status").getString("error_message")).isNotEmpty();

      TestModels.wrongSignature(base, "model", 4);
      status = awaitStatus(s -> versionState(s, 4).equals("END"));
      assertThat(entry(status, 4).getJsonObject("status").getString("error_code")).isEqualTo("INVALID_ARGUMENT");
      assertThat(entry(status, 4).getJsonObject("status").getString("error_message")).contains("DT_INT32");
      assertThat(versionState(status, 2)).isEqualTo("AVAILABLE");

      long afterBroken = System.nanoTime();
      loop.awaitAnswers(200);
      assertThat(loop.valuesSentAfter(afterBroken)).isNotEmpty().allSatisfy(v -> assertThat(v).isGreaterThan(V2_BIAS_SHIFT));
      assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    } finally {
      loop.stop();
    }
    assertThat(loop.failures).as("failed requests: %s", loop.failureSamples).isEmpty();
    assertThat(loop.answered.get()).isGreaterThan(400);
  }

  private JsonArray awaitStatus(Predicate<JsonArray> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonArray last = null;
    while (System.nanoTime() < deadline) {
      last = new JsonObject(get("/v1/models/model").body()).getJsonArray("model_version_status");
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("status never reached the expected state: " + last);
  }

  private static JsonObject entry(JsonArray statuses, long version) {
    for (int i = 0; i < statuses.size(); i++) {
      if (statuses.getJsonObject(i).getString("version").equals(Long.toString(version))) {
        return statuses.getJsonObject(i);
      }
    }
    return null;
  }

  private static String versionState(JsonArray statuses, long version) {
    JsonObject entry = entry(statuses, version);
    return entry == null ? "-" : entry.getString("state");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Clients calling :predict back to back until stopped, keeping every answer and every failure. */
  private final class ClientLoop {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Queue<long[]> answers = new ConcurrentLinkedQueue<>();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    final List<String> failureSamples = new CopyOnWriteArrayList<>();
    final AtomicInteger answered = new AtomicInteger();
    private final AtomicLong lastBits = new AtomicLong();

    ClientLoop(int clients) {
      for (int i = 0; i < clients; i++) {
        threads.add(Thread.ofPlatform().name("client-" + i).start(this::run));
      }
    }

    private void run() {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/models/model:predict"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": 212}")).build();
      while (running.get()) {
        long sent = System.nanoTime();
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() != 200) {
            failures.add(response.statusCode() + " " + response.body());
          } else {
            float value = new JsonObject(response.body()).getFloat("outputs");
            answers.add(new long[] {sent, System.nanoTime(), Float.floatToIntBits(value)});
            lastBits.set(Float.floatToIntBits(value));
            answered.incrementAndGet();
          }
        } catch (Exception e) {
          failures.add(e.toString());
        }
        if (!failures.isEmpty() && failureSamples.size() < 5) {
          failureSamples.add(failures.peek());
        }
      }
    }

    float lastValue() {
      return Float.intBitsToFloat((int) lastBits.get());
    }

    void awaitAnswers(int count) throws InterruptedException {
      int target = answered.get() + count;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (answered.get() < target && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(answered.get()).isGreaterThanOrEqualTo(target);
    }

    /** Waits for an answer matching {@code condition}; returns when it was received. */
    long awaitValue(Predicate<Float> condition, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (long[] answer : answers) {
          if (condition.test(Float.intBitsToFloat((int) answer[2]))) {
            return answer[1];
          }
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no answer matched within " + timeout);
    }

    List<Float> valuesSentAfter(long nanos) {
      return answers.stream().filter(a -> a[0] - nanos > 0).map(a -> Float.intBitsToFloat((int) a[2])).toList();
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }
}
