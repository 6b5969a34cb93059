package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertHeadLikeGet;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The API against a real server on a random port: every answer's content, not only its status. */
@ExtendWith(VertxExtension.class)
class PriceApiTest {
  static final String PRICES = """
      # the Flask service's lines, then some more
      P123,19.99
      P124,49.5
      P125,19.90
      P126,0.5
      P127,120
      eu-1,15.75,EUR
      """;

  @TempDir
  static Path dir;
  private static TestServer server;
  private static TestClient client;
  private static Path file;

  @BeforeAll
  static void start(Vertx vertx) {
    file = PriceListFiles.write(dir.resolve("prices.txt"), PRICES);
    server = TestServer.start(PriceApp.SPEC, Map.of("PRICES_SOURCE", file.toString(), "MAX_LOOKUP_IDS", "5"));
    client = new TestClient(vertx, server.port());
    Await.until("ready", Duration.ofSeconds(10), () -> client.get("/health/ready").statusCode() == 200);
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void aLookupAnswersTheExactPriceAsWritten() {
    var response = client.get("/prices/P124");
    assertOkJson(response);
    assertThat(response.bodyAsString()).isEqualTo("{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}");
    assertThat(client.get("/prices/P125").bodyAsString()).isEqualTo("{\"productId\":\"P125\",\"price\":19.90,\"currency\":\"USD\"}");
    assertThat(client.get("/prices/P126").bodyAsString()).contains("\"price\":0.5,");
    assertThat(client.get("/prices/P127").bodyAsString()).contains("\"price\":120,");
    assertThat(client.get("/prices/eu-1").bodyAsString()).isEqualTo("{\"productId\":\"eu-1\",\"price\":15.75,\"currency\":\"EUR\"}");
  }

  @Test
  void anUnknownIdIsA404AndIdsAreCaseSensitive() {
    assertError(client.get("/prices/P999"), 404, "no price for product id \"P999\"");
    assertError(client.get("/prices/p124"), 404, "no price for product id \"p124\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"P%20124", "P124%21", "caf%C3%A9", "P124%2C1", "x65"})
  void anIdThatBreaksTheFormatIsA400(String id) {
    String path = id.equals("x65") ? "x".repeat(65) : id;
    assertError(client.get("/prices/" + path), 400, "use 1 to 64 characters among A-Z a-z 0-9 . _ -");
  }

  @Test
  void aBulkLookupAnswersTheFoundPricesAndTheIdsNotFoundInRequestOrder() {
    var response = client.post("/prices/lookup", "{\"productIds\": [\"P127\", \"P999\", \"P124\", \"nope\", \"P124\"]}");
    JsonObject body = assertOkJson(response);
    assertThat(response.bodyAsString()).isEqualTo("{\"prices\":["
        + "{\"productId\":\"P127\",\"price\":120,\"currency\":\"USD\"},"
        + "{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"},"
        + "{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}],"
        + "\"notFound\":[\"P999\",\"nope\"]}");
    assertThat(body.getJsonArray("notFound")).containsExactly("P999", "nope");
  }

  @Test
  void anEmptyBulkLookupAnswersEmptyLists() {
    assertThat(assertOkJson(client.post("/prices/lookup", "{\"productIds\": []}")))
        .isEqualTo(new JsonObject().put("prices", new JsonArray()).put("notFound", new JsonArray()));
  }

  @Test
  void badBulkLookupsAreClear4xx() {
    assertError(client.post("/prices/lookup", "{\"productIds\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}"), 413,
        "6 product ids is over the limit of 5 (MAX_LOOKUP_IDS)");
    assertError(client.post("/prices/lookup", "{}"), 400, "missing field \"productIds\"");
    assertError(client.post("/prices/lookup", "{\"productIds\": \"P124\"}"), 400, "\"productIds\" must be an array of product ids, not a string");
    assertError(client.post("/prices/lookup", "{\"productIds\": null}"), 400, "must be an array of product ids, not null");
    assertError(client.post("/prices/lookup", "{\"productIds\": [\"P124\", 125]}"), 400, "\"productIds[1]\" must be a string, not a number");
    assertError(client.post("/prices/lookup", "{\"productIds\": [\"P124\", \"P 1\"]}"), 400, "\"productIds[1]\": invalid product id \"P 1\"");
    assertError(client.post("/prices/lookup", "{\"productIds\": [\"P124\""), 400, "malformed JSON");
    assertError(client.post("/prices/lookup", "[\"P124\"]"), 400, "must be a JSON object, not an array");
    assertError(client.post("/prices/lookup", "productIds=P124", "application/x-www-form-urlencoded"), 415, "send application/json");
  }

  @Test
  void headIsAnsweredWhereGetIs() throws java.io.IOException {
    assertHeadLikeGet(server.port(), "/prices/P124", true);
    assertHeadLikeGet(server.port(), "/prices/P999", true);
    assertHeadLikeGet(server.port(), "/price?product_id=P124", true);
    assertHeadLikeGet(server.port(), "/catalog", true);
  }

  @Test
  void routesAnswerWrongMethodsWithAllow() {
    var lookupByGet = client.get("/prices/lookup");
    assertError(lookupByGet, 405, "not allowed on /prices/lookup");
    assertThat(lookupByGet.getHeader("Allow")).isEqualTo("POST");
    assertThat(client.send(HttpMethod.DELETE, "/prices/P124").getHeader("Allow")).isEqualTo("GET, HEAD");
    assertThat(client.send(HttpMethod.POST, "/metrics").getHeader("Allow")).isEqualTo("GET, HEAD");
    assertError(client.send(HttpMethod.DELETE, "/prices/P124"), 405, "not allowed on /prices/:productId");
    assertError(client.post("/prices/P124", "{}"), 405, "use GET");
    assertError(client.get("/admin/reload"), 405, "use POST");
    assertError(client.get("/prices"), 404, "no route for GET /prices");
  }

  @Test
  void theFlaskEndpointAnswersPlainTextOrAnEmpty404() {
    var found = client.get("/price?product_id=P124");
    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.getHeader("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(found.bodyAsString()).isEqualTo("49.5");
    assertThat(client.get("/price?product_id=P123").bodyAsString()).isEqualTo("19.99");
    // Like Flask's request.args.get: the first of a repeated parameter.
    assertThat(client.get("/price?product_id=P126&product_id=P124").bodyAsString()).isEqualTo("0.5");

    for (String unknown : new String[] {"P999", "P%20124", "", "x".repeat(100)}) {
      var response = client.get("/price?product_id=" + unknown);
      assertThat(response.statusCode()).as(unknown).isEqualTo(404);
      assertThat(response.body() == null ? 0 : response.body().length()).as(unknown).isZero();
      assertThat(response.getHeader("Content-Length")).isEqualTo("0");
    }
    assertError(client.get("/price"), 400, "missing query parameter \"product_id\"");
  }

  @Test
  void theCatalogDescribesTheListServed() {
    JsonObject catalog = assertOkJson(client.get("/catalog"));
    assertThat(catalog.getString("source")).isEqualTo(file.toString());
    assertThat(catalog.getBoolean("loaded")).isTrue();
    assertThat(catalog.getInteger("products")).isEqualTo(6);
    assertThat(catalog.getString("sha256")).isEqualTo(PriceListReloader.sha256(PRICES.getBytes(StandardCharsets.UTF_8)));
    assertThat(catalog.getLong("bytes")).isEqualTo(PRICES.getBytes(StandardCharsets.UTF_8).length);
    assertThat(Instant.parse(catalog.getString("loadedAt"))).isBefore(Instant.now());
    assertThat(catalog.getString("defaultCurrency")).isEqualTo("USD");
    assertThat(catalog.getJsonObject("lastReload").getString("trigger")).isIn("start", "admin");
    assertThat(catalog.containsKey("lastError")).isTrue();
    assertThat(catalog.getValue("lastError")).isNull();
  }

  @Test
  void readinessShowsTheListServed() {
    var response = client.get("/health/ready");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject check = checkNamed(response.bodyAsJsonObject(), "price-list");
    assertThat(check.getString("status")).isEqualTo("UP");
    assertThat(check.getJsonObject("data").getInteger("products")).isEqualTo(6);
    assertThat(check.getJsonObject("data").getString("source")).isEqualTo(file.toString());
  }

  @Test
  void anOperatorReloadOfTheSameFileAnswersUnchanged() {
    JsonObject answer = assertOkJson(client.post("/admin/reload", ""));
    assertThat(answer.getString("outcome")).isEqualTo("unchanged");
    assertThat(answer.getInteger("products")).isEqualTo(6);
    assertThat(answer.getString("sha256")).isEqualTo(PriceListReloader.sha256(PRICES.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void lookupsAreCountedByOutcome() {
    double found = Scrape.value(client, "price_lookups_total", "outcome=\"found\"");
    double notFound = Scrape.value(client, "price_lookups_total", "outcome=\"not_found\"");
    double invalid = Scrape.value(client, "price_lookups_total", "outcome=\"invalid\"");
    client.get("/prices/P124");
    client.get("/price?product_id=P123");
    client.get("/prices/P998");
    client.get("/prices/P%20x");
    client.post("/prices/lookup", "{\"productIds\": [\"P124\", \"P997\", \"P996\"]}");
    assertThat(Scrape.value(client, "price_lookups_total", "outcome=\"found\"")).isEqualTo(found + 3);
    assertThat(Scrape.value(client, "price_lookups_total", "outcome=\"not_found\"")).isEqualTo(notFound + 3);
    assertThat(Scrape.value(client, "price_lookups_total", "outcome=\"invalid\"")).isEqualTo(invalid + 1);
    assertThat(Scrape.value(client, "price_catalog_products")).isEqualTo(6);
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"loaded\"")).isEqualTo(1);
    assertThat(Scrape.value(client, "price_catalog_reload_failing")).isZero();
    assertThat(Scrape.value(client, "price_catalog_age_seconds")).isGreaterThanOrEqualTo(0);
    assertThat(Scrape.value(client, "vertx_http_server_requests_total", "route=\"/prices/:productId\"", "code=\"200\"")).isPositive();
  }

  static JsonObject checkNamed(JsonObject health, String id) {
    for (Object check : health.getJsonArray("checks")) {
      if (((JsonObject) check).getString("id").equals(id)) {
        return (JsonObject) check;
      }
    }
    throw new AssertionError("no check " + id + " in " + health.encode());
  }
}
