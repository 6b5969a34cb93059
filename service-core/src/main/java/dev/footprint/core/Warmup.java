package dev.footprint.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Before a service turns ready, it sends itself its main requests over loopback, through the whole
 * HTTP stack, until its throughput is steady and the JIT has gone quiet, or for WARMUP_SECONDS at
 * most. A pod that turns ready cold takes its full share of traffic while it still interprets: in
 * the cluster's rollout drill the converter's new pod, with C2 alone, could not answer 1,000
 * requests/s for its first eight seconds, its readiness probe timed out, and thousands of requests
 * failed. Warmed, it turns ready later, and serves at full speed when it does.
 *
 * <p>Steady: the last second's answers within 10 % of the second before, and under 10 % of that
 * second spent compiling (with C2 alone the compiler is busy all through the interpreted plateau).
 * It never fails the start: a warm-up whose requests fail just ends.
 */
final class Warmup {
  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
  private static final long WINDOW_MILLIS = 250;
  private static final int WINDOWS_PER_SECOND = 4;
  private static final long MIN_MILLIS = 2_000;
  private static final double STEADY_CHANGE = 0.10;
  private static final long QUIET_JIT_MILLIS_PER_SECOND = 100;

  private final Vertx vertx;
  private final List<WarmupRequest> requests;
  private final long deadlineNanos;
  private final long startedNanos = System.nanoTime();
  private final HttpClient client;
  private final int lanes;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<Long> windows = new ArrayList<>();
  private final List<Long> compileMillis = new ArrayList<>();
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private final Promise<Void> done = Promise.promise();
  private volatile boolean stopping;
  private int lanesRunning;
  private long timer;
  private String outcome = "";

  private Warmup(Vertx vertx, int port, List<WarmupRequest> requests, int maxSeconds, int lanes) {
    this.vertx = vertx;
    this.requests = requests;
    this.lanes = lanes;
    this.deadlineNanos = startedNanos + TimeUnit.SECONDS.toNanos(maxSeconds);
    this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(lanes));
  }

  /** Warms the service on PORT with REQUESTS for at most MAX_SECONDS, LANES requests at a time. */
  static Future<Void> run(Vertx vertx, int port, Future<List<WarmupRequest>> requests, int maxSeconds, int lanes) {
    if (maxSeconds <= 0) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    return requests.timeout(maxSeconds, TimeUnit.SECONDS)
        .otherwise(failure -> {
          LOG.info(() -> "warm-up skipped: its requests were not known within " + maxSeconds + " s (" + failure.getMessage() + ")");
          return List.of();
        })
        .compose(list -> {
          int left = maxSeconds - (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
          if (list.isEmpty() || left <= 0) {
            return Future.succeededFuture();
          }
          Warmup warmup = new Warmup(vertx, port, list, left, lanes);
          vertx.runOnContext(v -> warmup.begin());
          return warmup.done.future();
        });
  }

  private void begin() {
    compileMillis.add(compileTime());
    lanesRunning = lanes;
    for (int lane = 0; lane < lanes; lane++) {
      send(lane);
    }
    timer = vertx.setPeriodic(WINDOW_MILLIS, id -> tick());
  }

  private void send(long sequence) {
    if (stopping) {
      if (--lanesRunning == 0) {
        finish();
      }
      return;
    }
    WarmupRequest request = requests.get((int) (sequence % requests.size()));
    client.request(request.method(), request.path())
        .compose(r -> {
          if (request.body() == null) {
            return r.send();
          }
          r.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
          return r.send(request.body());
        })
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(result -> {
          if (result.succeeded() && result.result() < 500) {
            answered.incrementAndGet();
          } else if (failed.incrementAndGet() > 100 && answered.get() == 0) {
            stop("its requests fail: " + (result.failed() ? result.cause() : "status " + result.result()));
          }
          send(sequence + lanes);
        });
  }

  private void tick() {
    long now = System.nanoTime();
    long total = answered.get();
    windows.add(total);
    compileMillis.add(compileTime());
    int n = windows.size();
    if (now - deadlineNanos >= 0) {
      stop("not steady after " + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - startedNanos) + " s (WARMUP_SECONDS)");
    } else if (TimeUnit.NANOSECONDS.toMillis(now - startedNanos) >= MIN_MILLIS && n > 2 * WINDOWS_PER_SECOND) {
      long lastSecond = total - windows.get(n - 1 - WINDOWS_PER_SECOND);
      long secondBefore = windows.get(n - 1 - WINDOWS_PER_SECOND) - windows.get(n - 1 - 2 * WINDOWS_PER_SECOND);
      long jitLastSecond = compileMillis.get(compileMillis.size() - 1) - compileMillis.get(compileMillis.size() - 1 - WINDOWS_PER_SECOND);
      if (lastSecond > 0 && Math.abs(lastSecond - secondBefore) <= STEADY_CHANGE * secondBefore
          && jitLastSecond <= QUIET_JIT_MILLIS_PER_SECOND) {
        stop("steady at " + lastSecond + " requests/s");
      }
    }
  }

  private void stop(String why) {
    if (!stopping) {
      outcome = why;
      stopping = true;
      vertx.cancelTimer(timer);
    }
  }

  private void finish() {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    StringBuilder perSecond = new StringBuilder();
    for (int i = WINDOWS_PER_SECOND - 1; i < windows.size(); i += WINDOWS_PER_SECOND) {
      long before = i >= WINDOWS_PER_SECOND ? windows.get(i - WINDOWS_PER_SECOND) : 0;
      perSecond.append(perSecond.isEmpty() ? "" : " ").append(windows.get(i) - before);
    }
    long jit = compileTime() - compileMillis.get(0);
    LOG.info(() -> String.format("warm-up: %d requests in %d ms, %d ms compiling; %s; requests each second: %s",
        answered.get(), millis, jit, outcome, perSecond));
    client.close().onComplete(closed -> done.complete());
  }

  private long compileTime() {
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }
}
