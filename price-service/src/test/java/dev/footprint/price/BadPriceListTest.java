package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad list, written over a good one while the server runs: the good list keeps
 * answering, and the failure shows, with its line, in /catalog, readiness, the metrics and the
 * answer of an operator's reload. Then the good list comes back and the failure clears.
 */
@ExtendWith(VertxExtension.class)
class BadPriceListTest {
  private static final String GOOD = "P123,19.99\nP124,49.5\n";
  private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);

  @TempDir
  static Path dir;
  private static Path file;
  private static TestServer server;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    file = PriceListFiles.write(dir.resolve("prices.txt"), GOOD);
    server = TestServer.start(PriceApp.SPEC, Map.of("PRICES_SOURCE", file.toString(), "PRICES_POLL_SECONDS", "1",
        "PRICES_MAX_BYTES", "2048"));
    client = new TestClient(vertx, server.port());
    Await.until("ready", RELOAD_TIMEOUT, () -> client.get("/health/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @AfterEach
  void theGoodListComesBackAndTheFailureClears() {
    PriceListFiles.replaceAtomically(file, GOOD);
    Await.until("failure cleared", RELOAD_TIMEOUT, () -> assertOkJson(client.get("/catalog")).getValue("lastError") == null);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isZero();
    JsonObject check = PriceApiTest.checkNamed(client.get("/health/ready").bodyAsJsonObject(), "price-list");
    assertThat(check.getJsonObject("data").containsKey("lastReloadError")).isFalse();
  }

  static Stream<Arguments> badLists() {
    return Stream.of(
        Arguments.of("a malformed line", bytes(GOOD + "P125 19.99\n"), 3, "no price: expected id,price"),
        Arguments.of("a negative price", bytes("P123,19.99\nP124,-49.5\n"), 2, "negative price \"-49.5\""),
        Arguments.of("a duplicate id", bytes(GOOD + "P123,18\n"), 3, "duplicate product id \"P123\" (first on line 1)"),
        Arguments.of("too many decimals", bytes(GOOD + "P125,0.1234567\n"), 3, "has 7 decimals: at most 6"),
        Arguments.of("an id with a bad character", bytes(GOOD + "P 125,1\n"), 3, "invalid character U+0020 (space) in product id"),
        Arguments.of("a bad currency", bytes(GOOD + "P125,1,euro\n"), 3, "invalid currency \"euro\""),
        Arguments.of("an empty file", new byte[0], 0, "the file is empty"),
        Arguments.of("only comments", bytes("# all sold out\n\n"), 0, "no products"),
        Arguments.of("a truncated file", bytes(GOOD + "P125,"), 3, "the file looks truncated"),
        Arguments.of("bytes that are not UTF-8", "P123,19.99\n# Preisliste f\u00fcr M\u00e4rz\nP124,49.5\n"
            .getBytes(StandardCharsets.ISO_8859_1), 2, "not UTF-8"),
        Arguments.of("a file over PRICES_MAX_BYTES", bytes(GOOD + "# padding\n".repeat(300)), 0,
            "over the limit of 2048 (PRICES_MAX_BYTES)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLists")
  void aBadListNeverReplacesTheGoodOne(String kind, byte[] content, int line, String message) {
    double failed = Scrape.value(client, "price_catalog_reloads_total", "outcome=\"failed\"");
    PriceListFiles.replaceAtomically(file, content);
    Await.until("the failure of " + kind, RELOAD_TIMEOUT, () -> assertOkJson(client.get("/catalog")).getValue("lastError") != null);

    // Still the good list.
    assertThat(client.get("/prices/P124").bodyAsString()).isEqualTo("{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}");
    assertThat(client.get("/price?product_id=P123").bodyAsString()).isEqualTo("19.99");

    JsonObject catalog = assertOkJson(client.get("/catalog"));
    assertThat(catalog.getInteger("products")).isEqualTo(2);
    assertThat(catalog.getString("sha256")).isEqualTo(PriceListReloader.sha256(bytes(GOOD)));
    JsonObject error = catalog.getJsonObject("lastError");
    assertThat(error.getString("message")).contains(message);
    if (line > 0) {
      assertThat(error.getJsonArray("errors").getJsonObject(0).getInteger("line")).isEqualTo(line);
      assertThat(error.getJsonArray("errors").getJsonObject(0).getString("message")).contains(message);
    }

    var ready = client.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject check = PriceApiTest.checkNamed(ready.bodyAsJsonObject(), "price-list");
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").getJsonObject("lastReloadError").getString("message")).contains(message);

    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"failed\"")).isGreaterThan(failed);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isEqualTo(1);
    assertThat(Scrape.value(client, "price_catalog_products")).isEqualTo(2);

    var reload = client.post("/admin/reload", "");
    assertError(reload, 422, message);
    assertThat(reload.bodyAsJsonObject().getString("error")).contains("still serving the previous list (2 products");
  }

  @Test
  void aDeletedFileIsAFailureAndTheListKeepsServing() throws Exception {
    Files.delete(file);
    Await.until("the failure", RELOAD_TIMEOUT, () -> assertOkJson(client.get("/catalog")).getValue("lastError") != null);
    assertThat(assertOkJson(client.get("/catalog")).getJsonObject("lastError").getString("message"))
        .isEqualTo("file " + file + " not found");
    assertThat(client.get("/price?product_id=P124").bodyAsString()).isEqualTo("49.5");
    assertError(client.post("/admin/reload", ""), 502, "file " + file + " not found; still serving the previous list");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
