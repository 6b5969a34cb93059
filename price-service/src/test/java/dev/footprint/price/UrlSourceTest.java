package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** A URL source served by a test web server: conditional polls, 304s that download and parse nothing, failures. */
@ExtendWith(VertxExtension.class)
class UrlSourceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private PriceListServer origin;
  private TestServer server;
  private TestClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    origin.close();
  }

  private void start(Vertx vertx, Map<String, String> env) {
    var vars = new HashMap<>(env);
    vars.putIfAbsent("PRICES_SOURCE", origin.url());
    server = TestServer.start(PriceApp.SPEC, vars);
    client = new TestClient(vertx, server.port());
    Await.until("the first load attempt", TIMEOUT, () -> assertOkJson(client.get("/catalog")).getValue("lastReload") != null);
  }

  private double reloads(String outcome) {
    return Scrape.value(client, "price_catalog_reloads_total", "outcome=\"" + outcome + "\"");
  }

  private JsonObject lastError() {
    return assertOkJson(client.get("/catalog")).getJsonObject("lastError");
  }

  @Test
  void pollsAskWithTheEtagAndA304NeitherDownloadsNorParses(Vertx vertx) {
    origin = new PriceListServer(vertx);
    origin.serve("P123,19.99\nP124,49.5\n");
    start(vertx, Map.of("PRICES_POLL_SECONDS", "1"));
    assertThat(FileReloadTest.priceText(client, "P124")).isEqualTo("49.5");
    JsonObject loaded = assertOkJson(client.get("/catalog"));
    assertThat(loaded.getString("source")).isEqualTo(origin.url());
    assertThat(loaded.getString("origin")).isEqualTo(origin.url() + " ETag \"v1\"");

    Await.until("two polls answered 304", TIMEOUT, () -> origin.notModified.get() >= 2);
    assertThat(origin.ifNoneMatchSeen).contains("\"v1\"");
    assertThat(origin.fullResponses.get()).isEqualTo(1);
    Await.until("the 304s counted", TIMEOUT, () -> reloads("not_modified") >= 2);
    assertThat(reloads("loaded")).isEqualTo(1);
    assertThat(reloads("unchanged")).isZero();
    assertThat(assertOkJson(client.get("/catalog")).getString("loadedAt")).isEqualTo(loaded.getString("loadedAt"));

    origin.serve("P123,17.99\nP124,44.5\n");
    Await.until("the new version", TIMEOUT, () -> FileReloadTest.priceText(client, "P124").equals("44.5"));
    assertThat(origin.fullResponses.get()).isEqualTo(2);

    // A bad version is downloaded once and rejected; polls after it get 304 and do not parse it again.
    origin.serve("P123,17.99\nP124,44.5\nP124,1\n");
    Await.until("the rejection", TIMEOUT, () -> lastError() != null);
    assertThat(lastError().getJsonArray("errors").getJsonObject(0).getInteger("line")).isEqualTo(3);
    assertThat(FileReloadTest.priceText(client, "P124")).isEqualTo("44.5");
    int notModified = origin.notModified.get();
    Await.until("a 304 for the bad version", TIMEOUT, () -> origin.notModified.get() > notModified);
    assertThat(origin.fullResponses.get()).isEqualTo(3);
    assertThat(reloads("failed")).isEqualTo(1);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isEqualTo(1);

    origin.failWith(500);
    Await.until("the HTTP failure", TIMEOUT, () -> lastError().getString("message").contains("answered HTTP 500"));
    assertThat(lastError().getString("message")).isEqualTo("GET " + origin.url() + " answered HTTP 500: expected 200 or 304");
    assertThat(FileReloadTest.priceText(client, "P124")).isEqualTo("44.5");

    origin.serve("P123,16.99\nP124,40\n");
    Await.until("recovered", TIMEOUT, () -> FileReloadTest.priceText(client, "P124").equals("40"));
    assertThat(lastError()).isNull();
  }

  @Test
  void withoutAnEtagTheLastModifiedDateIsAskedAndAnOperatorReloadHonoursIt(Vertx vertx) {
    origin = new PriceListServer(vertx);
    origin.sendEtag = false;
    origin.serve("P1,1.00\n");
    start(vertx, Map.of("PRICES_POLL_SECONDS", "0"));
    assertThat(FileReloadTest.priceText(client, "P1")).isEqualTo("1.00");

    JsonObject answer = assertOkJson(client.post("/admin/reload", ""));
    assertThat(answer.getString("outcome")).isEqualTo("not_modified");
    assertThat(answer.getInteger("products")).isEqualTo(1);
    assertThat(origin.ifModifiedSinceSeen).containsExactly(origin.lastModified());
    assertThat(origin.ifNoneMatchSeen).isEmpty();
    assertThat(origin.fullResponses.get()).isEqualTo(1);

    origin.serve("P1,1.50\nP2,2\n");
    assertThat(assertOkJson(client.post("/admin/reload", "")).getString("outcome")).isEqualTo("loaded");
    assertThat(FileReloadTest.priceText(client, "P1")).isEqualTo("1.50");
  }

  @Test
  void aListOverTheLimitIsRefusedWhileItStreamsIn(Vertx vertx) {
    origin = new PriceListServer(vertx);
    origin.chunked = true;
    origin.serve("P1,1\n".repeat(1_000));
    start(vertx, Map.of("PRICES_POLL_SECONDS", "0", "PRICES_MAX_BYTES", "2048"));
    assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(lastError().getString("message"))
        .isEqualTo("GET " + origin.url() + " sent more than 2048 bytes: over the limit of 2048 (PRICES_MAX_BYTES)");

    origin.chunked = false;
    origin.serve("P1,1\n".repeat(1_000));
    assertError(client.post("/admin/reload", ""), 422, "sent 5000 bytes: over the limit of 2048 (PRICES_MAX_BYTES)");

    origin.serve("P1,1\n");
    assertThat(assertOkJson(client.post("/admin/reload", "")).getString("outcome")).isEqualTo("loaded");
    assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnreachableUrlLeavesTheServiceNotReadyWithTheReason(Vertx vertx) throws Exception {
    origin = new PriceListServer(vertx);
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/prices.txt";
    start(vertx, Map.of("PRICES_SOURCE", url, "PRICES_POLL_SECONDS", "0"));
    var ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(PriceApiTest.checkNamed(ready.bodyAsJsonObject(), "price-list").getJsonObject("data").getString("reason"))
        .startsWith("price list not loaded: GET " + url + " failed: ");
    assertError(client.post("/admin/reload", ""), 502, "GET " + url + " failed");
  }
}
