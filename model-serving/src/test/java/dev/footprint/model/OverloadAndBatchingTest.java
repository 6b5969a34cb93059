package dev.footprint.model;

import dev.footprint.core.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine under a model that takes milliseconds per call: a full queue and a passed deadline are
 * 503s with Retry-After at once, never time-outs; concurrent requests are merged into batches and
 * each client still gets its own answer.
 */
@ExtendWith(VertxExtension.class)
class OverloadAndBatchingTest {
  private static final int CONNECTIONS = 64;
  @TempDir
  static Path base;

  @BeforeAll
  static void models() throws Exception {
    TestModels.slowIdentity(base, "slow", 1, 400);
  }

  private static TestServer server(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "slow",
        "MODEL_POLL_SECONDS", "0", "INFERENCE_THREADS", "1"));
    env.putAll(extra);
    return TestServer.start(ModelServingApp.SPEC, env);
  }

  /** Sends one request per value at once, over {@code CONNECTIONS} connections, and waits for all answers. */
  private static List<HttpResponse<Buffer>> burst(Vertx vertx, int port, List<Float> values) {
    WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    try {
      List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
      for (float value : values) {
        calls.add(client.request(HttpMethod.POST, "/v1/models/slow:predict")
            .timeout(30_000)
            .sendBuffer(Buffer.buffer("{\"instances\": [" + value + "]}")));
      }
      Future.join(calls).await();
      return calls.stream().map(Future::result).toList();
    } finally {
      client.close();
    }
  }

  private static List<Float> values(int count) {
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(i * 0.25f - 7f);
    }
    return values;
  }

  @Test
  void aFullQueueIsA503WithRetryAfterAtOnce(Vertx vertx) {
    try (TestServer server = server(Map.of("BATCHING_ENABLED", "false", "BATCH_QUEUE_CAPACITY", "2"))) {
      long started = System.nanoTime();
      List<HttpResponse<Buffer>> responses = burst(vertx, server.port(), values(CONNECTIONS));
      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
      List<HttpResponse<Buffer>> shed = responses.stream().filter(r -> r.statusCode() == 503).toList();
      assertThat(shed).isNotEmpty();
      assertThat(responses.stream().filter(r -> r.statusCode() == 200)).isNotEmpty();
      assertThat(shed).allSatisfy(r -> {
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
        assertThat(r.bodyAsJsonObject().getString("error")).contains("queue is full");
      });
      // Shedding does not wait for the queue: far less than the 64 calls it would take to serve them all.
      assertThat(System.nanoTime() - started).isLessThan(30_000_000_000L);
    }
  }

  @Test
  void aRequestQueuedPastItsDeadlineIsA503(Vertx vertx) {
    try (TestServer server = server(Map.of("BATCHING_ENABLED", "false", "REQUEST_TIMEOUT_MS", "1"))) {
      List<HttpResponse<Buffer>> responses = burst(vertx, server.port(), values(CONNECTIONS));
      assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isIn(200, 503));
      assertThat(responses).anySatisfy(r -> {
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.getHeader("Retry-After")).isEqualTo("1");
        assertThat(r.bodyAsJsonObject().getString("error")).contains("deadline of 1 ms");
      });
      String metrics = vertx.createHttpClient().request(HttpMethod.GET, server.port(), "127.0.0.1", "/metrics")
          .compose(request -> request.send().compose(io.vertx.core.http.HttpClientResponse::body)).await().toString();
      assertThat(metrics).containsPattern("footprint_model_requests_rejected_total\\{reason=\"deadline\",service=\"model-serving\"} [1-9]");
    }
  }

  @ParameterizedTest(name = "wait {0} µs, {1} inference thread(s)")
  @CsvSource({"0, 1", "2000, 2"})
  void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer(String maxWaitMicros, String threads, Vertx vertx) {
    try (TestServer server = server(Map.of("BATCH_MAX_SIZE", "32", "BATCH_MAX_WAIT_MICROS", maxWaitMicros,
        "INFERENCE_THREADS", threads))) {
      List<Float> values = values(CONNECTIONS * 8);
      List<HttpResponse<Buffer>> responses = burst(vertx, server.port(), values);
      for (int i = 0; i < values.size(); i++) {
        HttpResponse<Buffer> response = responses.get(i);
        assertThat(response.statusCode()).as("request %d: %s", i, response.bodyAsString()).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getJsonArray("predictions").getNumber(0).floatValue())
            .as("answer to request %d", i).isEqualTo(values.get(i));
      }
      String metrics = vertx.createHttpClient().request(HttpMethod.GET, server.port(), "127.0.0.1", "/metrics")
          .compose(request -> request.send().compose(io.vertx.core.http.HttpClientResponse::body)).await().toString();
      double calls = metric(metrics, "footprint_model_batch_requests_count\\{service=\"model-serving\"}");
      double singles = metric(metrics, "footprint_model_batch_requests_bucket\\{service=\"model-serving\",le=\"1.0\"}");
      double largest = metric(metrics, "footprint_model_batch_requests_max\\{service=\"model-serving\"}");
      // Fewer session calls than requests: most requests shared a call, and no batch passed the maximum.
      assertThat(calls).isLessThan(values.size() / 2.0);
      assertThat(singles).isLessThan(calls);
      assertThat(largest).isGreaterThan(1).isLessThanOrEqualTo(32);
    }
  }

  private static double metric(String metrics, String series) {
    Matcher matcher = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    assertThat(matcher.find()).as("metric %s in\n%s", series, metrics).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

}
