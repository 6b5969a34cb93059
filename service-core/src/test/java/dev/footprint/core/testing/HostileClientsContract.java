package dev.footprint.core.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker or a careless client does to a service, against its runnable jar started as a
 * process with its image's JVM flags and its Deployment's memory (as {@code -XX:MaxRAM}): floods of
 * idle connections, slowloris, slow and endless bodies, request smuggling, deep JSON, malformed
 * requests, SIGTERM under keep-alive load. Each asserts that a well-behaved client is still served
 * correctly, that the resident memory stayed under the Deployment's limit where that is at stake,
 * that nothing was logged as an error, and that the process exits 0 on SIGTERM. Everything on
 * 127.0.0.1, bounded in count and time. A service's IT extends this with its own requests.
 */
public abstract class HostileClientsContract {
  private static final Pattern MEMORY = Pattern.compile("memory:\\s*(\\d+)Mi");

  /** The Deployment's name, its folder under k8s/. */
  protected abstract String service();

  /** Variables the service needs to start here (a price list, a model), beside the test's own. */
  protected Map<String, String> environment() throws IOException {
    return Map.of();
  }

  /** A request a well-behaved client sends, complete, as raw HTTP/1.1. */
  protected abstract String wellBehavedRequest();

  /** Fails unless {@code response} is the right answer to {@link #wellBehavedRequest()}. */
  protected abstract void assertRightAnswer(RawHttp.Response response);

  /** A path that takes a JSON body by POST. */
  protected abstract String jsonPath();

  /** MAX_CONNECTIONS for the flood (10 times it are opened), or 0 for the service's default. */
  protected int connectionLimit() {
    return 0;
  }

  /** What the 400 to JSON nested 800 deep says: the core's depth limit, unless the service reads such bodies itself. */
  protected void assertDeepJsonAnswer(String body) {
    assertThat(body).contains("nested deeper than");
  }

  protected Duration readyTimeout() {
    return Duration.ofSeconds(60);
  }

  @Test
  void anIdleConnectionFloodOfTenTimesTheLimitLeavesAWellBehavedClientServed() throws Exception {
    Map<String, String> env = new HashMap<>();
    if (connectionLimit() > 0) {
      env.put("MAX_CONNECTIONS", String.valueOf(connectionLimit()));
    }
    try (ServiceProcess service = start(env)) {
      // A service that reports no limit (as before there was one) gets a flood of 10,000.
      int limit = (int) scrapeSum(service, "footprint_http_connections_limit").orElse(1_000);
      warmUp(service, 5_000);
      List<Socket> flood = new ArrayList<>();
      AtomicBoolean flooding = new AtomicBoolean(true);
      Thread flooder = Thread.ofPlatform().name("flood").start(() -> {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < 10 * limit && System.nanoTime() < deadline; i++) {
          try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), service.port()), 2_000);
            flood.add(socket);
          } catch (IOException e) {
            // a full backlog: the flood goes on with the next one
          }
        }
        flooding.set(false);
      });
      List<String> failures = new ArrayList<>();
      List<Long> latencies = new ArrayList<>();
      int served = 0;
      long endAfterFlood = Long.MAX_VALUE;
      while (System.nanoTime() < endAfterFlood) {
        if (!flooding.get() && endAfterFlood == Long.MAX_VALUE) {
          endAfterFlood = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        }
        long start = System.nanoTime();
        try (RawHttp client = new RawHttp(service.port(), 5_000)) {
          RawHttp.Response response = client.send(wellBehavedRequest()).read();
          assertThat(response).as("an answer").isNotNull();
          assertRightAnswer(response);
          served++;
        } catch (IOException | AssertionError e) {
          failures.add(e.toString());
        }
        latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        Thread.sleep(50);
      }
      flooder.join();
      latencies.sort(null);
      System.out.printf("%s: flood of %d connections (limit %d) opened; %d well-behaved requests served, median %d ms, slowest %d ms; "
              + "peak RSS %d MiB; closed by the guard: %s%n", service(), flood.size(), limit, served, latencies.get(latencies.size() / 2),
          latencies.get(latencies.size() - 1), service.peakRssBytes() >> 20, closedByReason(service));
      assertThat(failures).as("well-behaved requests that failed during the flood").isEmpty();
      assertThat(served).isPositive();
      assertThat(metric(service, "footprint_http_connections")).as("open connections").isLessThanOrEqualTo(limit + AcceptWaitingSlack.SLACK);
      assertThat(service.peakRssBytes()).as("peak RSS against the Deployment's limit").isLessThan(memoryLimitBytes());
      for (Socket socket : flood) {
        socket.close();
      }
      assertExitsCleanly(service);
    }
  }

  @Test
  void slowlorisIsCutOffAtTheHeaderTimeoutWhileOthersAreServed() throws Exception {
    try (ServiceProcess service = start(Map.of("REQUEST_HEADER_TIMEOUT_SECONDS", "2"))) {
      List<RawHttp> slow = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        slow.add(new RawHttp(service.port(), 200).send("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
      while (System.nanoTime() < end) {
        for (RawHttp connection : slow) {
          try {
            connection.send("a");
          } catch (IOException closed) {
            // cut off already
          }
        }
        assertServed(service);
        Thread.sleep(300);
      }
      int timedOut = 0;
      for (RawHttp connection : slow) {
        try (connection) {
          RawHttp.Response response = connection.read();
          if (response != null && response.status() == 408 && response.body().contains("REQUEST_HEADER_TIMEOUT_SECONDS")) {
            timedOut++;
          }
        } catch (IOException e) {
          // reset after the answer: still cut off
        }
      }
      assertThat(timedOut).as("slowloris connections answered 408 and closed").isGreaterThan(150);
      assertThat(metric(service, "footprint_http_connections_closed_total{reason=\"header_timeout\"")).isGreaterThanOrEqualTo(150);
      assertExitsCleanly(service);
    }
  }

  @Test
  void slowBodiesHoldNoInflightSlotAndAreCutOffAtTheBodyTimeout() throws Exception {
    try (ServiceProcess service = start(Map.of("MAX_INFLIGHT_REQUESTS", "16", "REQUEST_BODY_TIMEOUT_SECONDS", "3"))) {
      List<RawHttp> slow = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        slow.add(new RawHttp(service.port(), 200).send("POST " + jsonPath()
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"));
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < end) {
        for (RawHttp connection : slow) {
          try {
            connection.send(" ");
          } catch (IOException closed) {
            // cut off already
          }
        }
        assertServed(service);
        Thread.sleep(250);
      }
      int timedOut = 0;
      for (RawHttp connection : slow) {
        try (connection) {
          RawHttp.Response response = connection.read();
          if (response != null && response.status() == 408 && response.body().contains("REQUEST_BODY_TIMEOUT_SECONDS")) {
            timedOut++;
          }
        } catch (IOException e) {
          // reset after the answer
        }
      }
      assertThat(timedOut).as("trickled bodies answered 408 at the body timeout").isEqualTo(64);
      assertThat(metric(service, "footprint_http_shed_total")).as("requests shed while the slow bodies arrived").isZero();
      assertExitsCleanly(service);
    }
  }

  @Test
  void aSmuggledRequestIsRejectedAndNeverExecuted() throws Exception {
    try (ServiceProcess service = start(Map.of())) {
      String smuggled = RawHttp.get("/no-such-route-smuggled");
      try (RawHttp connection = new RawHttp(service.port(), 3_000)) {
        connection.send("POST " + jsonPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
        RawHttp.Response response = connection.read();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("both Content-Length and Transfer-Encoding");
        assertThat(response.closesConnection()).isTrue();
        assertThat(connection.closedByServer()).as("the connection closed after the 400, the smuggled request unread").isTrue();
      }
      assertThat(metricOrZero(service, "vertx_http_server_requests_total{code=\"404\"")).as("the smuggled request never ran").isZero();
      assertExitsCleanly(service);
    }
  }

  @Test
  void jsonNestedEightHundredDeepIsA400AtTheShippedStackSize() throws Exception {
    try (ServiceProcess service = start(Map.of())) {
      String deep = "[".repeat(800) + "]".repeat(800);
      for (String body : List.of(deep, "{\"a\":" + deep + "}")) {
        try (RawHttp connection = new RawHttp(service.port(), 5_000)) {
          RawHttp.Response response = connection.send(RawHttp.post(jsonPath(), body)).read();
          assertThat(response.status()).isEqualTo(400);
          assertThat(response.body()).startsWith("{\"error\":");
          assertDeepJsonAnswer(response.body());
        }
      }
      assertServed(service);
      assertExitsCleanly(service);
      assertThat(service.output()).doesNotContain("StackOverflowError");
    }
  }

  @Test
  void malformedRequestsGetA400AndAClosedConnectionWithoutAStackTrace() throws Exception {
    try (ServiceProcess service = start(Map.of())) {
      Map<String, String> malformed = Map.of(
          "GET /prices/%G1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "percent-encoding",
          "GET /health/live HTTP/1.1\r\n\r\n", "Host",
          "POST " + jsonPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n{}{}", "Content-Length",
          "POST " + jsonPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFF\r\n", "chunked");
      for (Map.Entry<String, String> request : malformed.entrySet()) {
        try (RawHttp connection = new RawHttp(service.port(), 3_000)) {
          RawHttp.Response response = connection.send(request.getKey()).read();
          assertThat(response).as("an answer to %s", request.getKey()).isNotNull();
          assertThat(response.status()).as(request.getKey()).isEqualTo(400);
          assertThat(response.body()).as(request.getKey()).startsWith("{\"error\":").contains(request.getValue());
          assertThat(connection.closedByServer()).as("closed after %s", request.getKey()).isTrue();
        }
      }
      // A client hanging up mid-body is nobody's error either.
      try (RawHttp connection = new RawHttp(service.port(), 1_000)) {
        connection.send("POST " + jsonPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\"");
        Thread.sleep(200);
      }
      Thread.sleep(300);
      assertServed(service);
      assertExitsCleanly(service);
      assertThat(service.output()).doesNotContain("SEVERE").doesNotContain("\n  at ").doesNotContain("\tat ");
    }
  }

  @Test
  void sigtermUnderKeepAliveLoadLosesNoRequest() throws Exception {
    try (ServiceProcess service = start(Map.of("SHUTDOWN_DELAY_SECONDS", "2"))) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong terminatedAt = new AtomicLong();
      AtomicInteger served = new AtomicInteger();
      AtomicInteger toldToClose = new AtomicInteger();
      ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        clients.add(Thread.ofPlatform().name("keep-alive-" + i).start(() -> keepAlive(service, stop, terminatedAt, served, toldToClose, lost)));
      }
      Thread.sleep(1_500);
      int before = served.get();
      terminatedAt.set(System.nanoTime());
      service.signalTerm();
      int exit = service.awaitExit(Duration.ofSeconds(30));
      stop.set(true);
      for (Thread client : clients) {
        client.join(10_000);
      }
      System.out.printf("%s: SIGTERM under keep-alive load: %d requests served (%d after SIGTERM), %d answers said Connection: close, %d lost%n",
          service(), served.get(), served.get() - before, toldToClose.get(), lost.size());
      assertThat(lost).as("requests sent on a connection and never answered").isEmpty();
      assertThat(served.get()).as("requests served after SIGTERM, during the shutdown delay").isGreaterThan(before);
      assertThat(toldToClose.get()).as("answers with Connection: close after SIGTERM").isPositive();
      assertThat(exit).isZero();
    }
  }

  /**
   * One keep-alive client: requests back to back on one connection, a new connection when told to
   * close. A request that got no answer on a connection that had already answered one is lost; so
   * is one on a new connection while the listener should still accept (before the shutdown delay
   * ends). After it, a refused or reset new connection is the listener closing: no request lost.
   */
  private void keepAlive(ServiceProcess service, AtomicBoolean stop, AtomicLong terminatedAt, AtomicInteger served,
                         AtomicInteger toldToClose, ConcurrentLinkedQueue<String> lost) {
    RawHttp connection = null;
    boolean reused = false;
    while (!stop.get()) {
      try {
        if (connection == null) {
          connection = new RawHttp(service.port(), 5_000);
          reused = false;
        }
        RawHttp.Response response = connection.send(wellBehavedRequest()).read();
        if (response == null) {
          throw new IOException("closed without an answer");
        }
        assertRightAnswer(response);
        served.incrementAndGet();
        reused = true;
        if (response.closesConnection()) {
          if (terminatedAt.get() != 0) {
            toldToClose.incrementAndGet();
          }
          connection.close();
          connection = null;
        }
      } catch (ConnectException refused) {
        if (terminatedAt.get() == 0) {
          lost.add("refused before SIGTERM");
        }
        connection = null;
        pause(20);
      } catch (IOException | AssertionError e) {
        long since = terminatedAt.get() == 0 ? -1 : System.nanoTime() - terminatedAt.get();
        boolean listenerClosing = since > TimeUnit.MILLISECONDS.toNanos(1_900);
        if (reused || !listenerClosing) {
          lost.add(e + (reused ? " on a reused connection" : " on a new connection") + " " + TimeUnit.NANOSECONDS.toMillis(since) + " ms after SIGTERM");
        }
        closeQuietly(connection);
        connection = null;
        pause(20);
      }
    }
    closeQuietly(connection);
  }

  protected ServiceProcess start(Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(environment());
    env.put("EVENT_LOOPS", "1");
    env.putAll(extra);
    Path flags = Path.of("src/main/jib/etc/footprint/jvm.options").toAbsolutePath();
    return ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), env, "@" + flags, "-XX:MaxRAM=" + memoryLimitBytes())
        .awaitReady(readyTimeout());
  }

  /**
   * {@code requests} well-behaved requests, each on a connection of its own: a pod that has served a
   * while. With C2 alone (the images' flags) a cold JVM interprets its accept path for its first
   * 10,000 calls, and a flood then queues for seconds in the kernel's backlog; that cold case is the
   * JVM flag matrix's to measure, not this test's.
   */
  private void warmUp(ServiceProcess service, int requests) throws IOException {
    for (int i = 0; i < requests; i++) {
      assertServed(service);
    }
  }

  protected void assertServed(ServiceProcess service) throws IOException {
    try (RawHttp client = new RawHttp(service.port(), 5_000)) {
      RawHttp.Response response = client.send(wellBehavedRequest()).read();
      assertThat(response).as("an answer to a well-behaved request").isNotNull();
      assertRightAnswer(response);
    }
  }

  private void assertExitsCleanly(ServiceProcess service) throws InterruptedException {
    assertThat(service.terminate(Duration.ofSeconds(30))).as("exit code on SIGTERM").isZero();
  }

  /** The Deployment's memory limit, from k8s/&lt;service&gt;/deployment.yaml. */
  protected long memoryLimitBytes() throws IOException {
    Matcher memory = MEMORY.matcher(Files.readString(Path.of("..", "k8s", service(), "deployment.yaml")));
    long most = 0;
    while (memory.find()) {
      most = Math.max(most, Long.parseLong(memory.group(1)) << 20);
    }
    assertThat(most).as("a memory limit in k8s/%s/deployment.yaml", service()).isPositive();
    return most;
  }

  /** The sum of the series whose line starts with {@code series} (a name, or a name and its first labels). */
  static double metric(ServiceProcess service, String series) throws IOException {
    OptionalDouble value = scrapeSum(service, series);
    assertThat(value).as("%s in the scrape", series).isPresent();
    return value.getAsDouble();
  }

  /** As {@link #metric}, but 0 when no such series was recorded yet. */
  static double metricOrZero(ServiceProcess service, String series) throws IOException {
    return scrapeSum(service, series).orElse(0);
  }

  private static String closedByReason(ServiceProcess service) throws IOException {
    StringBuilder counts = new StringBuilder();
    for (String reason : List.of("limit", "displaced", "header_timeout", "body_timeout", "bad_framing", "drain")) {
      long count = (long) metricOrZero(service, "footprint_http_connections_closed_total{reason=\"" + reason + "\"");
      if (count > 0) {
        counts.append(counts.isEmpty() ? "" : ", ").append(reason).append(' ').append(count);
      }
    }
    return counts.isEmpty() ? "none" : counts.toString();
  }

  private static OptionalDouble scrapeSum(ServiceProcess service, String series) throws IOException {
    try (RawHttp client = new RawHttp(service.port(), 5_000)) {
      String scrape = client.send(RawHttp.get("/metrics")).read().body();
      double sum = 0;
      boolean found = false;
      for (String line : scrape.split("\n")) {
        if (line.startsWith(series) && " {,".indexOf(line.charAt(series.length())) >= 0) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          found = true;
        }
      }
      return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(RawHttp connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Connections accepted and on their way to their event loop may briefly exceed the limit. */
  private static final class AcceptWaitingSlack {
    static final int SLACK = 128;
  }
}
