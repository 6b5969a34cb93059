package dev.footprint.core;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** Load shedding, graceful shutdown and connection limits, each against a real server. */
@ExtendWith(VertxExtension.class)
class LifecycleTest {

  @Test
  void requestsPastTheInflightLimitAreShedWith503AndRetryAfter(Vertx vertx) {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("MAX_INFLIGHT_REQUESTS", "2"));
         TestClient client = new TestClient(vertx, server.port(), 4)) {
      List<Future<HttpResponse<Buffer>>> slow = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        slow.add(client.raw().request(HttpMethod.GET, "/slow?ms=800").send());
      }
      awaitInflight(server, 2);

      HttpResponse<Buffer> shed = client.get("/items/1");
      assertError(shed, 503, "overloaded: 2 requests already in progress");
      assertThat(shed.getHeader("Retry-After")).isEqualTo("1");
      // Health stays outside the limit: a probe must not fail because the service is busy.
      assertThat(client.get("/health/live").statusCode()).isEqualTo(200);

      for (Future<HttpResponse<Buffer>> response : slow) {
        assertThat(response.await().bodyAsJsonObject().getLong("slept")).isEqualTo(800);
      }
      assertOkJson(client.get("/items/1"));
      assertThat(client.get("/metrics").bodyAsString()).contains("footprint_http_shed_total{service=\"sample\"} 1.0");
    }
  }

  @Test
  void shutdownLetsRequestsInFlightFinishThenClosesTheListener(Vertx vertx) throws Exception {
    SampleService service = new SampleService();
    TestServer server = TestServer.start(new ServiceSpec("sample", 0, env -> service), Map.of("SHUTDOWN_GRACE_SECONDS", "5"));
    try (TestClient client = new TestClient(vertx, server.port())) {
      Future<HttpResponse<Buffer>> inflight = client.raw().request(HttpMethod.GET, "/slow?ms=700").send();
      awaitInflight(server, 1);

      Future<Void> stopped = server.running().shutdown();
      HttpResponse<Buffer> response = inflight.await();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getLong("slept")).isEqualTo(700);
      awaitConnectionRefused(server.port());
      stopped.await();
      assertThat(service.stopped).isTrue();
    }
  }

  /**
   * Clients that keep sending on their keep-alive connections while the service shuts down, and close
   * a connection when an answer says {@code Connection: close} (as a client whose next connection
   * goes to another pod would): every request written gets its answer. Half of them pause up to
   * 300 ms between requests, as a pooled connection of a client at a modest rate does: closing such a
   * connection while idle races the client's next request.
   */
  @Test
  void keepAliveClientsSendingThroughTheShutdownLoseNoRequest() throws Exception {
    int clients = 16;
    TestServer server = TestServer.start(SampleService.SPEC, Map.of("SHUTDOWN_GRACE_SECONDS", "10"));
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      CountDownLatch sending = new CountDownLatch(clients);
      List<java.util.concurrent.Future<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int maxPauseMillis = i % 2 == 0 ? 0 : 300;
        outcomes.add(pool.submit(() -> sendUntilConnectionClose(server.port(), maxPauseMillis, sending)));
      }
      assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(100);
      Future<Void> stopped = server.running().shutdown();
      for (var outcome : outcomes) {
        assertThat(outcome.get(15, TimeUnit.SECONDS)).startsWith("closed by the server's answer after");
      }
      stopped.await();
    } finally {
      pool.shutdownNow();
      server.close();
    }
  }

  /**
   * A connection the client left idle before the shutdown is not closed at once: a client whose busy
   * connections close takes its idle ones next, and one closed under its request would lose it.
   */
  @Test
  void aConnectionIdleBeforeTheShutdownIsStillAnsweredAfterItStarts() throws Exception {
    TestServer server = TestServer.start(SampleService.SPEC, Map.of("SHUTDOWN_GRACE_SECONDS", "10"));
    try (Socket socket = connect(server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
      Thread.sleep(2_500);  // idle past the drain's idle time before the drain begins
      Future<Void> stopped = server.running().shutdown();
      Thread.sleep(700);  // a few of the guard's sweeps
      out.write("GET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
      assertThat(in.read()).as("closed after that answer").isEqualTo(-1);
      stopped.await();
    } finally {
      server.close();
    }
  }

  /**
   * kube-proxy balances connections, not requests: a keep-alive client would never reach the pods an
   * HPA adds. Past MAX_CONNECTION_AGE_SECONDS a connection's next answer says Connection: close.
   */
  @Test
  void aConnectionPastItsMaximumAgeIsClosedAfterItsNextAnswer() throws Exception {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("MAX_CONNECTION_AGE_SECONDS", "1"));
         Socket socket = connect(server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String young = readResponse(in);
      assertThat(young).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
      Thread.sleep(1_100);
      out.write("GET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String old = readResponse(in);
      assertThat(old).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
      assertThat(in.read()).as("the server closes the connection after that answer").isEqualTo(-1);
    }
  }

  /** Sends requests back to back on one connection until an answer says Connection: close. */
  private static String sendUntilConnectionClose(int port, int maxPauseMillis, CountDownLatch sending)
      throws IOException, InterruptedException {
    try (Socket socket = connect(port)) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      for (int answered = 0; ; answered++) {
        out.write(("GET /items/" + answered + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head;
        try {
          head = readResponse(in);
        } catch (IOException e) {
          return "request " + (answered + 1) + " lost: " + e;
        }
        if (head == null) {
          return "request " + (answered + 1) + " lost: the connection closed without an answer";
        }
        if (answered == 0) {
          sending.countDown();
        }
        if (!head.startsWith("HTTP/1.1 200")) {
          return "request " + (answered + 1) + " answered " + head.lines().findFirst().orElse("");
        }
        if (head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close")) {
          return "closed by the server's answer after " + (answered + 1) + " requests";
        }
        if (maxPauseMillis > 0) {
          Thread.sleep(ThreadLocalRandom.current().nextInt(maxPauseMillis));
        }
      }
    }
  }

  /** One response's head (its body read and dropped), or null at end of stream before any byte. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.append((char) b);
    }
    int length = head.toString().toLowerCase(Locale.ROOT).lines()
        .filter(line -> line.startsWith("content-length:"))
        .map(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
        .findFirst().orElse(0);
    in.readNBytes(length);
    return head.toString();
  }

  @Test
  void readinessTurnsFalseFirstWhileTheListenerServesThroughTheShutdownDelay(Vertx vertx) {
    TestServer server = TestServer.start(SampleService.SPEC, Map.of("SHUTDOWN_DELAY_SECONDS", "1"));
    try (TestClient client = new TestClient(vertx, server.port())) {
      Future<Void> stopped = server.running().shutdown();
      HttpResponse<Buffer> ready = client.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.bodyAsString()).contains("shutting down");
      assertOkJson(client.get("/items/still-served"));
      stopped.await();
    }
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("IDLE_TIMEOUT_SECONDS", "1"));
         Socket socket = connect(server.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readAvailable(in);
      assertThat(head).startsWith("HTTP/1.1 200");
      long start = System.nanoTime();
      // Keep-alive, then silence: the server closes the connection (read returns -1).
      assertThat(in.read()).isEqualTo(-1);
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 4_000L);
    }
  }

  @Test
  void vertxOwnHttpMetricsCanBeChosenInstead(Vertx vertx) {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("HTTP_METRICS", "vertx"));
         TestClient client = new TestClient(vertx, server.port())) {
      assertOkJson(client.get("/items/9"));
      String metrics = client.get("/metrics").bodyAsString();
      assertThat(metrics).contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/items/:id\",service=\"sample\"} 1.0");
      assertThat(metrics).doesNotContain("route=\"/items/9\"");
    }
  }

  @Test
  void metricsCanBeTurnedOff(Vertx vertx) {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("METRICS_ENABLED", "false"));
         TestClient client = new TestClient(vertx, server.port())) {
      assertError(client.get("/metrics"), 404, "no route for GET /metrics");
      assertOkJson(client.get("/items/9"));
    }
  }

  private static void awaitInflight(TestServer server, int expected) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.running().inflightRequests() < expected) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("requests never reached the server");
      }
      Thread.onSpinWait();
    }
  }

  private static void awaitConnectionRefused(int port) throws InterruptedException {
    // The drain closes a connection idle for 2 s; the listener closes once none is open.
    long deadline = System.nanoTime() + 6_000_000_000L;
    while (true) {
      try (Socket ignored = connect(port)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("port " + port + " still accepts connections");
        }
        Thread.sleep(10);
      } catch (ConnectException refused) {
        return;
      } catch (IOException other) {
        throw new AssertionError(other);
      }
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
    return socket;
  }

  private static String readAvailable(InputStream in) throws IOException {
    byte[] buffer = new byte[4096];
    int n = in.read(buffer);
    return new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
  }
}
