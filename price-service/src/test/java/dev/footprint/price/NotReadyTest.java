package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** Without a good list the service is live but not ready, says why everywhere, and turns ready once one arrives. */
@ExtendWith(VertxExtension.class)
class NotReadyTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  Path dir;
  private TestServer server;
  private TestClient client;

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private void start(Vertx vertx, Path source) {
    server = TestServer.start(PriceApp.SPEC, Map.of("PRICES_SOURCE", source.toString(), "PRICES_POLL_SECONDS", "0"));
    client = new TestClient(vertx, server.port());
    Await.until("the first load attempt", TIMEOUT, () -> assertOkJson(client.get("/catalog")).getValue("lastReload") != null);
  }

  @Test
  void startingWithABadFileStaysNotReadyUntilTheFileIsFixed(Vertx vertx) {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), "P123,19.99\nP124,49,5\n");
    start(vertx, file);

    assertThat(client.get("/health/live").statusCode()).isEqualTo(200);
    var ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject check = PriceApiTest.checkNamed(ready.bodyAsJsonObject(), "price-list");
    assertThat(check.getString("status")).isEqualTo("DOWN");
    assertThat(check.getJsonObject("data").getString("reason"))
        .startsWith("price list not loaded: price list " + file + " rejected: line 2: invalid currency \"5\"");
    assertThat(check.getJsonObject("data").getJsonObject("lastReloadError").getJsonArray("errors").getJsonObject(0).getInteger("line"))
        .isEqualTo(2);

    var lookup = client.get("/prices/P123");
    assertError(lookup, 503, "price list not loaded: price list " + file + " rejected: line 2");
    assertThat(lookup.getHeader("Retry-After")).isEqualTo("5");
    assertError(client.get("/price?product_id=P123"), 503, "price list not loaded");
    assertError(client.post("/prices/lookup", "{\"productIds\": [\"P123\", \"P124\"]}"), 503, "price list not loaded");
    // A malformed id is still the client's error.
    assertError(client.get("/prices/P%20123"), 400, "invalid product id");

    JsonObject catalog = assertOkJson(client.get("/catalog"));
    assertThat(catalog.getBoolean("loaded")).isFalse();
    assertThat(catalog.getInteger("products")).isZero();
    assertThat(catalog.containsKey("sha256")).isFalse();
    assertThat(catalog.getJsonObject("lastError").getString("message")).contains("line 2: invalid currency");
    assertThat(Scrape.value(client, "price_catalog_products")).isZero();
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isEqualTo(1);
    assertThat(Scrape.value(client, "price_catalog_age_seconds")).isNaN();
    assertThat(Scrape.value(client, "price_lookups_total", "outcome=\"unavailable\"")).isEqualTo(4);

    PriceListFiles.replaceAtomically(file, "P123,19.99\nP124,49.5\n");
    Await.until("ready", TIMEOUT, () -> client.get("/health/ready").statusCode() == 200);
    assertThat(client.get("/price?product_id=P124").bodyAsString()).isEqualTo("49.5");
    assertThat(assertOkJson(client.get("/catalog")).getValue("lastError")).isNull();
  }

  @Test
  void startingWithoutTheFileStaysNotReadyUntilItAppears(Vertx vertx) {
    Path file = dir.resolve("prices.txt");
    start(vertx, file);
    var ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(PriceApiTest.checkNamed(ready.bodyAsJsonObject(), "price-list").getJsonObject("data").getString("reason"))
        .isEqualTo("price list not loaded: file " + file + " not found");

    PriceListFiles.replaceAtomically(file, "P1,1\n");
    Await.until("ready", TIMEOUT, () -> client.get("/health/ready").statusCode() == 200);
    assertThat(FileReloadTest.priceText(client, "P1")).isEqualTo("1");
  }
}
