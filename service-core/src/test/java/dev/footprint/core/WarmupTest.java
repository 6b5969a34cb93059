package dev.footprint.core;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** WARMUP_SECONDS: the service sends itself its main requests through its own listener before it turns ready. */
@ExtendWith(VertxExtension.class)
class WarmupTest {
  private static final Pattern ITEMS_ANSWERED =
      Pattern.compile("vertx_http_server_requests_total\\{[^}]*code=\"200\"[^}]*route=\"/items/:id\"[^}]*} ([0-9.E]+)");
  private static final Pattern BOOM_ANSWERED =
      Pattern.compile("vertx_http_server_requests_total\\{code=\"500\",method=\"GET\"[^}]*} ([0-9.E]+)");

  @Test
  void theWarmupRequestsGoThroughTheListenerBeforeTheServiceIsReady(Vertx vertx) {
    try (TestServer server = startWarming(List.of(WarmupRequest.get("/items/warm")), Map.of("WARMUP_SECONDS", "3"));
         TestClient client = new TestClient(vertx, server.port())) {
      // The start returned, so the warm-up is over: its answers are in the metrics before any client request.
      double warmed = count(ITEMS_ANSWERED, client.get("/metrics").bodyAsString());
      assertThat(warmed).as("answers to the warm-up's GET /items/warm").isGreaterThan(100);
      assertOkJson(client.get("/items/9"));
      assertThat(count(ITEMS_ANSWERED, client.get("/metrics").bodyAsString())).isEqualTo(warmed + 1);
    }
  }

  @Test
  void aWarmupWhoseRequestsFailEndsAndTheServiceStillStarts(Vertx vertx) {
    try (TestServer server = startWarming(List.of(WarmupRequest.get("/boom")), Map.of("WARMUP_SECONDS", "30"));
         TestClient client = new TestClient(vertx, server.port())) {
      assertThat(count(BOOM_ANSWERED, client.get("/metrics").bodyAsString())).isGreaterThan(100);
      assertOkJson(client.get("/items/9"));
    }
  }

  @Test
  void withoutWarmupSecondsNothingIsSent(Vertx vertx) {
    try (TestServer server = startWarming(List.of(WarmupRequest.get("/items/warm")), Map.of());
         TestClient client = new TestClient(vertx, server.port())) {
      assertThat(client.get("/metrics").bodyAsString()).doesNotContain("route=\"/items/:id\"");
    }
  }

  /** The sample service, warming up with WARMUP under ENV. */
  private static TestServer startWarming(List<WarmupRequest> warmup, Map<String, String> env) {
    SampleService service = new SampleService();
    service.warmup = warmup;
    return TestServer.start(new ServiceSpec("sample", 0, ignored -> service), env);
  }

  private static double count(Pattern series, String metrics) {
    Matcher m = series.matcher(metrics);
    assertThat(m.find()).as("series %s in\n%s", series, metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
