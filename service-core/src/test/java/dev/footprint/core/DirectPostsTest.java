package dev.footprint.core;

import dev.footprint.core.testing.RawHttp;
import dev.footprint.core.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code postJson} endpoint answers the same whether its request is served past the router (a
 * plain POST with Content-Length) or through it (chunked, a large body, another JSON media type): the
 * same status, headers that matter, body, metrics and load shedding. Over a real port, byte for byte.
 */
class DirectPostsTest {
  private static final List<String> BODIES = List.of(
      "{\"values\": [1, 2, 3.5]}",
      "{\"values\": []}",
      " {\"values\" : [1e3] } ",
      "{}",
      "{\"values\": \"x\"}",
      "{\"values\": [1, \"two\"]}",
      "{\"values\": [1e999]}",
      "not json",
      "[1, 2]",
      "",
      "[".repeat(100) + "]".repeat(100),
      "{\"values\": [" + "1, ".repeat(600) + "1]}",  // over 1 KiB: the router's either way
      "{\"boom\": true}");

  private TestServer server;
  private SampleService service;

  @BeforeEach
  void start() {
    server = TestServer.start(new ServiceSpec("sample", 0, env -> service = new SampleService()),
        Map.of("MAX_BODY_BYTES", "4096", "POD_NAME", "sample-pod-1", "MAX_INFLIGHT_REQUESTS", "1"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void directAndRoutedAnswersAreTheSame() throws IOException {
    for (String body : BODIES) {
      RawHttp.Response direct = send(withLength(body, "application/json"));
      boolean directRouted = service.lastSumRouted;
      RawHttp.Response routed = send(chunked(body));
      assertThat(service.lastSumRouted).as("a chunked body goes through the router").isTrue();
      if (body.length() <= 1024) {
        assertThat(directRouted).as("a plain POST of %d bytes is served past the router", body.length()).isFalse();
      }
      assertSame(direct, routed, body);
      assertSame(send(withLength(body, "application/vnd.sample+json; charset=utf-8")), routed, body);
    }
    assertThat(send(withLength("{\"values\": [2, 2]}", null)).body()).isEqualTo("{\"sum\":4.0,\"count\":2}");
    assertThat(service.lastSumRouted).as("no Content-Type is JSON, served past the router").isFalse();
  }

  @Test
  void contentTypeAndMethodErrorsStayTheRouters() throws IOException {
    RawHttp.Response wrongType = send(withLength("{}", "text/plain"));
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(wrongType.body()).contains("unsupported content type \\\"text/plain\\\"");
    RawHttp.Response get = send(RawHttp.get("/sum"));
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("allow")).isEqualTo("POST");
    assertThat(send(withLength("{}", "application/json").replace("POST /sum", "POST /sum/extra")).status()).isEqualTo(404);
  }

  @Test
  void bothPathsCountUnderTheRouteTemplate() throws IOException {
    for (int i = 0; i < 3; i++) {
      send(withLength("{\"values\": [1]}", "application/json"));
      send(chunked("{\"values\": [1]}"));
    }
    send(withLength("{}", "application/json"));
    String metrics = send(RawHttp.get("/metrics")).body();
    assertThat(metrics)
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"POST\",route=\"/sum\",service=\"sample\"} 6.0")
        .contains("vertx_http_server_requests_total{code=\"400\",method=\"POST\",route=\"/sum\",service=\"sample\"} 1.0");
  }

  @Test
  void aDirectPostIsShedLikeARoutedOne() throws Exception {
    // MAX_INFLIGHT_REQUESTS=1, held by a slow request.
    CompletableFuture<RawHttp.Response> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return send(RawHttp.get("/slow?ms=1500"));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (server.running().inflightRequests() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    RawHttp.Response direct = send(withLength("{\"values\": [1]}", "application/json"));
    RawHttp.Response routed = send(chunked("{\"values\": [1]}"));
    assertThat(direct.status()).isEqualTo(503);
    assertThat(direct.header("retry-after")).isEqualTo("1");
    assertThat(direct.body()).contains("overloaded: 1 requests already in progress (MAX_INFLIGHT_REQUESTS)");
    assertSame(direct, routed, "shed");
    assertThat(slow.get().status()).isEqualTo(200);
    assertThat(send(withLength("{\"values\": [1]}", "application/json")).status()).as("its slot released").isEqualTo(200);
    assertThat(server.running().inflightRequests()).isZero();
  }

  private static void assertSame(RawHttp.Response actual, RawHttp.Response expected, String body) {
    assertThat(actual.status()).as("status for %s", body).isEqualTo(expected.status());
    assertThat(actual.body()).as("body for %s", body).isEqualTo(expected.body());
    for (String header : List.of("content-type", "x-app-id", "x-pod-name", "retry-after", "connection")) {
      assertThat(actual.header(header)).as("%s for %s", header, body).isEqualTo(expected.header(header));
    }
    assertThat(actual.header("x-app-id")).isNotNull();
  }

  private RawHttp.Response send(String request) throws IOException {
    try (RawHttp http = new RawHttp(server.port(), 5_000)) {
      return http.send(request).read();
    }
  }

  private static String withLength(String body, String contentType) {
    return "POST /sum HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  /** The body in chunks of at most 7 bytes: Transfer-Encoding takes a request to the router. */
  private static String chunked(String body) {
    StringBuilder request = new StringBuilder("POST /sum HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < body.length(); i += 7) {
      String chunk = body.substring(i, Math.min(body.length(), i + 7));
      request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    return request.append("0\r\n\r\n").toString();
  }
}
