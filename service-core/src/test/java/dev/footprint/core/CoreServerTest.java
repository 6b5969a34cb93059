package dev.footprint.core;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The core's HTTP behaviour, through a sample service on a random port. */
@ExtendWith(VertxExtension.class)
class CoreServerTest {
  private TestServer server;
  private TestClient client;
  private SampleService service;

  @BeforeEach
  void start(Vertx vertx) {
    server = TestServer.start(new ServiceSpec("sample", 0, env -> service = new SampleService()),
        Map.of("MAX_BODY_BYTES", "1024", "POD_NAME", "sample-pod-1"));
    client = new TestClient(vertx, server.port());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void servesTheServiceEndpointsWithInstanceHeaders() {
    HttpResponse<Buffer> response = client.post("/echo", "{\"a\": [1, 2]}");
    assertThat(assertOkJson(response)).isEqualTo(new JsonObject("{\"echo\": {\"a\": [1, 2]}}"));
    assertThat(response.getHeader("X-App-Id")).matches("[0-9a-f]{8}")
        .isEqualTo(server.running().context().instance().appId());
    assertThat(response.getHeader("X-Pod-Name")).isEqualTo("sample-pod-1");
    assertThat(assertOkJson(client.get("/items/abc"))).isEqualTo(new JsonObject().put("id", "abc"));
  }

  @Test
  void unknownRouteIsA404InJson() {
    assertError(client.get("/nowhere"), 404, "no route for GET /nowhere");
  }

  @Test
  void wrongMethodIsA405WithAllow() {
    HttpResponse<Buffer> response = client.send(HttpMethod.DELETE, "/echo");
    assertError(response, 405, "method DELETE not allowed on /echo");
    assertThat(response.getHeader("Allow")).isEqualTo("POST");
    assertThat(client.send(HttpMethod.PUT, "/items/1").getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void malformedEmptyAndNonObjectBodiesAre400s() {
    assertError(client.post("/echo", "{\"a\": "), 400, "malformed JSON");
    assertError(client.post("/echo", "not json"), 400, "malformed JSON");
    assertError(client.post("/echo", ""), 400, "request body is empty");
    assertError(client.post("/echo", "[1, 2]"), 400, "must be a JSON object, not an array");
    assertError(client.post("/echo", "42"), 400, "must be a JSON object, not a number");
  }

  @Test
  void bodyOverTheLimitIsA413AndTheServerKeepsServing() {
    String big = "{\"a\": \"" + "x".repeat(2000) + "\"}";
    assertError(client.post("/echo", big), 413, "limit is 1024 bytes");
    // Chunked, without Content-Length: the limit still holds while reading.
    HttpClient raw = server.running().vertx().createHttpClient(new HttpClientOptions());
    try {
      int status = raw.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(server.port()).setURI("/echo").putHeader("Content-Type", "application/json"))
          .compose(request -> request.setChunked(true).send(Buffer.buffer(big)))
          .map(response -> response.statusCode())
          .await();
      assertThat(status).isEqualTo(413);
    } finally {
      raw.close().await();
    }
    assertOkJson(client.post("/echo", "{}"));
  }

  @Test
  void bodiesArriveWholeWhateverTheirDeclaredLengthOrChunking(Vertx vertx) throws IOException {
    // A roomier limit than the other tests': declared lengths on both sides of the exact-buffer bound.
    try (TestServer roomy = TestServer.start(new ServiceSpec("sample", 0, env -> new SampleService()), Map.of("MAX_BODY_BYTES", "8192"));
         TestClient roomyClient = new TestClient(vertx, roomy.port())) {
      for (int size : List.of(0, 1, 1000, 1016, 1017, 5000)) {
        JsonObject sent = new JsonObject().put("a", "é".repeat(size / 2) + "x".repeat(size % 2));
        JsonObject expected = new JsonObject().put("echo", sent);
        assertThat(assertOkJson(roomyClient.post("/echo", sent.encode()))).as("declared, %d chars", size).isEqualTo(expected);
        assertThat(postInPieces(roomy.port(), sent.encode())).as("chunked, %d chars", size).isEqualTo(expected);
      }
    }
  }

  /**
   * POSTs {@code body} chunked, in three chunks flushed one by one, over a plain socket (what the
   * server sees does not depend on a client library's buffering), and returns the response's JSON.
   */
  private static JsonObject postInPieces(int port, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    int third = bytes.length / 3;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      for (int[] range : new int[][] {{0, third}, {third, 2 * third}, {2 * third, bytes.length}}) {
        out.write((Integer.toHexString(range[1] - range[0]) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, range[0], range[1] - range[0]);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 200 OK");
      return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
  }

  @Test
  void wrongContentTypeIsA415AndMissingContentTypeIsJson() {
    assertError(client.post("/echo", "{}", "text/plain"), 415, "unsupported content type \"text/plain\"");
    assertError(client.post("/echo", "a=1", "application/x-www-form-urlencoded"), 415, "send application/json");
    assertOkJson(client.post("/echo", "{}", null));
    assertOkJson(client.post("/echo", "{}", "application/json; charset=utf-8"));
    assertOkJson(client.post("/echo", "{}", "application/problem+json"));
  }

  @Test
  void anUnexpectedFailureIsA500WithoutItsDetails() {
    JsonObject body = assertError(client.get("/boom"), 500, "internal server error");
    assertThat(body.encode()).doesNotContain("secret").doesNotContain("IllegalState");
    assertOkJson(client.get("/items/still-serving"));
  }

  @Test
  void livenessIsUpAndReadinessWaitsForEveryCheck() {
    assertThat(assertOkJson(client.get("/health/live"))).isEqualTo(new JsonObject().put("status", "UP"));

    HttpResponse<Buffer> notReady = client.get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonObject body = notReady.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("DOWN");
    assertThat(check(body, "sample-dependency")).isEqualTo(new JsonObject()
        .put("id", "sample-dependency").put("status", "DOWN").put("data", new JsonObject().put("reason", "not loaded yet")));
    assertThat(check(body, "lifecycle").getString("status")).isEqualTo("UP");

    service.dependency.up(new JsonObject().put("version", 3));
    JsonObject ready = assertOkJson(client.get("/health/ready"));
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertThat(check(ready, "sample-dependency").getJsonObject("data")).isEqualTo(new JsonObject().put("version", 3));
  }

  @Test
  void metricsExposeJvmProcessAndHttpSeriesByRouteTemplate() {
    for (String id : List.of("1", "2", "3")) {
      assertOkJson(client.get("/items/" + id));
    }
    client.get("/nowhere/secret-path");
    HttpResponse<Buffer> response = client.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("text/plain");
    String metrics = response.bodyAsString();
    assertThat(metrics)
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",route=\"/items/:id\",service=\"sample\"} 3.0")
        .contains("vertx_http_server_response_time_seconds_bucket{code=\"200\",method=\"GET\",route=\"/items/:id\",service=\"sample\",le=\"0.001\"}")
        .contains("vertx_http_server_requests_total{code=\"404\",method=\"GET\",route=\"unmatched\",service=\"sample\"} 1.0")
        .contains("vertx_http_server_active_connections{")
        .contains("vertx_http_server_active_requests{")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads{")
        .contains("process_cpu_usage{")
        .contains("process_resident_memory_bytes{")
        .contains("process_resident_memory_peak_bytes{")
        .contains("footprint_instance_info{app_id=\"" + server.running().context().instance().appId() + "\"");
    // Raw paths never become labels.
    assertThat(metrics).doesNotContain("route=\"/items/1\"").doesNotContain("secret-path");
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(check -> id.equals(check.getString("id")))
        .findFirst()
        .orElseThrow();
  }

}
