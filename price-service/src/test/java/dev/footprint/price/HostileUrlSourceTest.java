package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * URL sources that misbehave: a body cut short without framing (or breaking its framing), a source
 * that trickles a byte now and then, and one that fails and then recovers with a 304. None of them
 * ever gets a list served that the source did not send whole, none stalls reloads, and a recovery
 * clears the failure everywhere it shows.
 */
@ExtendWith(VertxExtension.class)
class HostileUrlSourceTest {
  private static final Duration EVENTUALLY = Duration.ofSeconds(20);
  private static final String LIST = "P1,10.00\nP2,249.50\n";

  private AutoCloseable origin;
  private TestServer server;
  private TestClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private void start(Vertx vertx, String url, Map<String, String> env) {
    var vars = new HashMap<>(env);
    vars.put("PRICES_SOURCE", url);
    server = TestServer.start(PriceApp.SPEC, vars);
    client = new TestClient(vertx, server.port());
    Await.until("ready", EVENTUALLY, () -> client.get("/health/ready").statusCode() == 200);
  }

  /** POST /admin/reload, bounded: a reload that stalls fails the test instead of hanging it. */
  private HttpResponse<Buffer> reload() {
    return client.raw().post("/admin/reload").timeout(EVENTUALLY.toMillis()).send().await();
  }

  private String price(String id) {
    return FileReloadTest.priceText(client, id);
  }

  private JsonObject lastError() {
    return assertOkJson(client.get("/catalog")).getJsonObject("lastError");
  }

  @Test
  void aBodyCutShortIsNeverServed(Vertx vertx) {
    RawHttpOrigin raw = new RawHttpOrigin(vertx);
    origin = raw;
    raw.framed(LIST);
    start(vertx, raw.url(), Map.of("PRICES_POLL_SECONDS", "0"));
    assertThat(price("P2")).isEqualTo("249.50");

    // No Content-Length, not chunked, and the connection closes after "P2,24": it cannot be told from a whole list.
    raw.unframed("P1,11.00\nP2,24");
    HttpResponse<Buffer> answer = reload();
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(502);
    assertThat(answer.bodyAsJsonObject().getString("error")).contains("without Content-Length or chunked transfer coding");
    assertThat(price("P1")).isEqualTo("10.00");
    assertThat(price("P2")).isEqualTo("249.50");

    // A Content-Length the body falls short of, and a chunked body without its last chunk.
    raw.contentLengthCut("P1,11.00\nP2,249.50\n", 14);
    assertThat(reload().statusCode()).isEqualTo(502);
    raw.chunkedCut("P1,11.00\nP2,24");
    assertThat(reload().statusCode()).isEqualTo(502);
    assertThat(price("P1")).isEqualTo("10.00");
    assertThat(price("P2")).isEqualTo("249.50");
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"loaded\"")).isEqualTo(1);

    raw.framed("P1,11.00\nP2,249.75\n");
    assertThat(assertOkJson(reload()).getString("outcome")).isEqualTo("loaded");
    assertThat(price("P2")).isEqualTo("249.75");
    assertThat(lastError()).isNull();
  }

  @Test
  void aSourceThatTricklesFailsAtTheDeadlineInsteadOfStallingReloads(Vertx vertx) {
    RawHttpOrigin raw = new RawHttpOrigin(vertx);
    origin = raw;
    raw.framed(LIST);
    start(vertx, raw.url(), Map.of("PRICES_POLL_SECONDS", "0", "PRICES_HTTP_TIMEOUT_SECONDS", "2"));

    // A byte every 300 ms never lets the 2 s idle timeout fire: only a deadline on the whole fetch ends it.
    raw.trickle("P1,11.00\nP2,260.00\n".repeat(10), 300);
    HttpResponse<Buffer> answer = reload();
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(502);
    assertThat(answer.bodyAsJsonObject().getString("error"))
        .contains("did not complete within 2 s (PRICES_HTTP_TIMEOUT_SECONDS)");
    assertThat(price("P2")).isEqualTo("249.50");
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isEqualTo(1);

    // Reloads are not stuck behind it.
    raw.framed("P1,11.00\nP2,249.75\n");
    assertThat(assertOkJson(reload()).getString("outcome")).isEqualTo("loaded");
    assertThat(price("P2")).isEqualTo("249.75");
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isZero();
  }

  @Test
  void aSourceRecoveringWithA304ClearsTheFailureStateAndMetric(Vertx vertx) {
    PriceListServer list = new PriceListServer(vertx);
    origin = list;
    list.serve(LIST);
    start(vertx, list.url(), Map.of("PRICES_POLL_SECONDS", "1"));

    list.failWith(503);
    Await.until("the failure seen", EVENTUALLY, () -> lastError() != null);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isEqualTo(1);
    assertThat(readinessData().getJsonObject("lastReloadError").getString("message")).contains("answered HTTP 503");

    // Back, with the version already loaded: it answers 304, and the failure is over.
    int notModified = list.notModified.get();
    list.recover();
    Await.until("a 304 after the recovery", EVENTUALLY, () -> list.notModified.get() > notModified);
    Await.until("the failure cleared", EVENTUALLY, () -> lastError() == null);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isZero();
    assertThat(readinessData().containsKey("lastReloadError")).isFalse();
    assertThat(price("P2")).isEqualTo("249.50");
    assertThat(list.fullResponses.get()).isEqualTo(1);
  }

  private JsonObject readinessData() {
    var ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    return PriceApiTest.checkNamed(ready.bodyAsJsonObject(), PriceListReloader.CHECK_NAME).getJsonObject("data");
  }
}
