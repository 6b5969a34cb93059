package dev.footprint.model;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients predicting {@code {"inputs": 212}} back to back on 127.0.0.1 and one probe asking for
 * readiness every 10 ms, until stopped, for at most two minutes and 500,000 requests. Keeps every
 * answer, every failed prediction and every readiness answer but 200.
 */
final class PredictionLoad {
  /** How far an answer may be from the value it stands for (float32 arithmetic). */
  static final float TOLERANCE = 0.01f;
  private static final Duration EVENTUALLY = Duration.ofSeconds(30);
  private static final long MAX_REQUESTS = 500_000;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;
  private final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  /** Per answer: when it was sent, when it arrived, the value's bits. */
  private final Queue<long[]> answers = new ConcurrentLinkedQueue<>();
  final Queue<String> failures = new ConcurrentLinkedQueue<>();
  final Queue<String> notReady = new ConcurrentLinkedQueue<>();
  final AtomicInteger answered = new AtomicInteger();
  final AtomicInteger probes = new AtomicInteger();

  private PredictionLoad(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  static PredictionLoad start(int port, int clients) {
    PredictionLoad load = new PredictionLoad(port);
    for (int i = 0; i < clients; i++) {
      load.threads.add(Thread.ofPlatform().name("predict-" + i).start(load::predict));
    }
    load.threads.add(Thread.ofPlatform().name("readiness-probe").start(load::probe));
    return load;
  }

  static boolean oneOf(float value, float... expected) {
    for (float candidate : expected) {
      if (Math.abs(value - candidate) <= TOLERANCE) {
        return true;
      }
    }
    return false;
  }

  private boolean going() {
    return running.get() && System.nanoTime() < deadline && answered.get() + failures.size() < MAX_REQUESTS;
  }

  private void predict() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/models/model:predict")).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": 212}")).build();
    while (going()) {
      long sent = System.nanoTime();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          failures.add(response.statusCode() + " " + response.body());
          continue;
        }
        float value = new JsonObject(response.body()).getFloat("outputs");
        answers.add(new long[] {sent, System.nanoTime(), Float.floatToIntBits(value)});
        answered.incrementAndGet();
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        failures.add(e.toString());
      }
    }
  }

  private void probe() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(10)).build();
    while (going()) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        probes.incrementAndGet();
        if (response.statusCode() != 200) {
          notReady.add(response.statusCode() + " " + response.body());
        }
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        notReady.add(e.toString());
      }
    }
  }

  void awaitAnswers(int count) throws InterruptedException {
    int target = answered.get() + count;
    long until = System.nanoTime() + EVENTUALLY.toNanos();
    while (answered.get() < target && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertThat(answered.get()).as("answers").isGreaterThanOrEqualTo(target);
  }

  /** Waits for an answer standing for {@code value}; returns when it arrived. */
  long awaitValue(float value) throws InterruptedException {
    long until = System.nanoTime() + EVENTUALLY.toNanos();
    while (System.nanoTime() < until) {
      for (long[] answer : answers) {
        if (oneOf(Float.intBitsToFloat((int) answer[2]), value)) {
          return answer[1];
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no answer " + value + " within " + EVENTUALLY + "; failures: " + failures.stream().limit(3).toList());
  }

  List<Float> values() {
    return answers.stream().map(a -> Float.intBitsToFloat((int) a[2])).toList();
  }

  List<Float> valuesSentAfter(long nanos) {
    return answers.stream().filter(a -> a[0] - nanos > 0).map(a -> Float.intBitsToFloat((int) a[2])).toList();
  }

  int requests() {
    return answered.get() + failures.size();
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
