package dev.footprint.converter;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The converter's contract, against the real server on a random port. */
@ExtendWith(VertxExtension.class)
class ConvertApiTest {
  private static TestServer server;
  private static TestClient client;
  private static String appId;

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.start(ConverterApp.SPEC);
    client = new TestClient(vertx, server.port());
    appId = server.running().context().instance().appId();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /**
   * {"fahrenheit": n} alone is read without a JSON tree (SingleValueBody); with another field beside
   * it, by the full reader. Both must give the same answer, byte for byte, errors included.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "98.6", "-40", "0", "-0", "-0.0", "1e2", "1E-2", "0.1e+1", "12345678901234567890", "9007199254740993",
      "1.7976931348623157e308", "1.7976931348623157E308", "2e308", "-2e308", "5e-324", "1e-400", "1.0000000000000002",
      "\"12\"", "true", "null", "[1, 2]", "[1, \"x\"]", "{}",
  })
  void aLoneFieldIsAnsweredAsTheFullReaderAnswersIt(String value) {
    HttpResponse<Buffer> lone = client.post("/convert", "{\"fahrenheit\": " + value + "}");
    HttpResponse<Buffer> full = client.post("/convert", "{\"fahrenheit\": " + value + ", \"unit\": \"F\"}");
    assertThat(lone.statusCode()).as("status for %s", value).isEqualTo(full.statusCode());
    assertThat(lone.bodyAsString()).as("answer for %s", value).isEqualTo(full.bodyAsString());
    assertThat(lone.getHeader("Content-Type")).isEqualTo(full.getHeader("Content-Type"));
  }

  /** Not JSON numbers: the full reader's 400 (its message names what follows, so it differs by body). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"01", "1.", ".5", "+1", "-", "1e", "0x10", "NaN", "Infinity", "1e5e5"})
  void aLoneFieldThatIsNoJsonNumberIsMalformed(String value) {
    assertError(client.post("/convert", "{\"fahrenheit\": " + value + "}"), 400, "malformed JSON");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\\s{\"fahrenheit\":212}\\s",
      "\\t{ \"fahrenheit\" :\\r\\n212\\n}\\n",
  })
  void whitespaceAnywhereJsonAllowsIt(String body) {
    assertThat(assertOkJson(client.post("/convert", body.translateEscapes())).getDouble("celsius")).isEqualTo(100.0);
  }

  @Test
  void aLoneFieldWithANumberLongerThanJacksonReadsIsRefusedAsBefore() {
    String digits = "0." + "0".repeat(1_200) + "1";
    assertError(client.post("/convert", "{\"fahrenheit\": " + digits + "}"), 400, "malformed JSON");
  }

  @ParameterizedTest
  @CsvSource({
      "212, 100",
      "32, 0",
      "-40, -40",
      "98.6, 37",
      "0, -17.77777777777778",
      "-459.67, -273.15",
      "1e300, 5.555555555555556e299",
      "451, 232.77777777777777",
  })
  void convertsFahrenheitToCelsius(String fahrenheit, double celsius) {
    JsonObject body = assertOkJson(client.post("/convert", "{\"fahrenheit\": " + fahrenheit + "}"));
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("celsius", "app_id");
    assertThat(body.getDouble("celsius")).isCloseTo(celsius, within(1e-9 * Math.max(1, Math.abs(celsius))));
    assertThat(body.getString("app_id")).isEqualTo(appId);
  }

  @Test
  void theGoServiceContractHoldsForItsClients() {
    // As the Go service's clients sent it: no Content-Type, integer input, extra fields ignored.
    HttpResponse<Buffer> response = client.post("/convert", "{\"fahrenheit\": 212, \"unit\": \"F\"}", null);
    JsonObject body = assertOkJson(response);
    assertThat(body.getDouble("celsius")).isEqualTo(100.0);
    assertThat(body.getString("app_id")).matches("[0-9a-f]{8}").isEqualTo(response.getHeader("X-App-Id"));
  }

  @Test
  void theAppIdIsTheSameForEveryAnswerOfOneProcess() {
    for (int i = 0; i < 5; i++) {
      assertThat(assertOkJson(client.post("/convert", "{\"fahrenheit\": " + i + "}")).getString("app_id")).isEqualTo(appId);
    }
  }

  @Test
  void convertsABatchInOrder() {
    JsonObject body = assertOkJson(client.post("/convert", "{\"fahrenheit\": [212, -40, 98.6, 32]}"));
    JsonArray celsius = body.getJsonArray("celsius");
    assertThat(celsius.size()).isEqualTo(4);
    assertThat(celsius.getDouble(0)).isEqualTo(100.0);
    assertThat(celsius.getDouble(1)).isEqualTo(-40.0);
    assertThat(celsius.getDouble(2)).isCloseTo(37.0, within(1e-9));
    assertThat(celsius.getDouble(3)).isEqualTo(0.0);
    assertThat(body.getString("app_id")).isEqualTo(appId);
  }

  @Test
  void anEmptyBatchGivesAnEmptyAnswer() {
    assertThat(assertOkJson(client.post("/convert", "{\"fahrenheit\": []}")).getJsonArray("celsius")).isEmpty();
  }

  @Test
  void aBatchAtTheDefaultCapIsServedAndOneMoreIsRefused() {
    assertThat(assertOkJson(client.post("/convert", batchOf(10_000))).getJsonArray("celsius")).hasSize(10_000);
    assertError(client.post("/convert", batchOf(10_001)), 413, "batch of 10001 values is over the limit of 10000");
  }

  @Test
  void aBatchWithOneBadValueNamesIt() {
    assertError(client.post("/convert", "{\"fahrenheit\": [1, \"2\", 3]}"), 400, "\"fahrenheit[1]\" must be a number, not a string");
    assertError(client.post("/convert", "{\"fahrenheit\": [1, [2]]}"), 400, "\"fahrenheit[1]\" must be a number, not an array");
  }

  @Test
  void convertsFromTheQueryString() {
    JsonObject body = assertOkJson(client.get("/convert?fahrenheit=212"));
    assertThat(body.getDouble("celsius")).isEqualTo(100.0);
    assertThat(body.getString("app_id")).isEqualTo(appId);
    assertThat(assertOkJson(client.get("/convert?fahrenheit=-40")).getDouble("celsius")).isEqualTo(-40.0);
    assertThat(assertOkJson(client.get("/convert?fahrenheit=9.86e1")).getDouble("celsius")).isCloseTo(37.0, within(1e-9));
  }

  @Test
  void badQueryStringsAre400s() {
    assertError(client.get("/convert"), 400, "missing query parameter \"fahrenheit\"");
    assertError(client.get("/convert?fahrenheit=hot"), 400, "must be a number, not \"hot\"");
    assertError(client.get("/convert?fahrenheit=NaN"), 400, "must be a number");
    assertError(client.get("/convert?fahrenheit=Infinity"), 400, "must be a number");
    assertError(client.get("/convert?fahrenheit=0x1p3"), 400, "must be a number");
    assertError(client.get("/convert?fahrenheit=1e400"), 400, "out of range");
    assertError(client.get("/convert?fahrenheit=1&fahrenheit=2"), 400, "given 2 times");
  }

  @Test
  void helloGivesTheBaselineAnswer() {
    Instant before = Instant.now();
    JsonObject body = assertOkJson(client.get("/"));
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("message", "timestamp", "app_id");
    assertThat(body.getString("message")).isEqualTo("Hello");
    assertThat(body.getString("timestamp")).endsWith("Z");
    Instant timestamp = Instant.parse(body.getString("timestamp"));
    assertThat(timestamp).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(body.getString("app_id")).isEqualTo(appId);
  }

  @Test
  void isReadyAndExposesItsMetricsAfterTraffic() {
    JsonObject ready = assertOkJson(client.get("/health/ready"));
    assertThat(ready.getString("status")).isEqualTo("UP");
    assertOkJson(client.post("/convert", "{\"fahrenheit\": 1}"));
    assertOkJson(client.get("/convert?fahrenheit=1"));
    String metrics = client.get("/metrics").bodyAsString();
    assertThat(metrics)
        .containsPattern("vertx_http_server_requests_total\\{code=\"200\",method=\"POST\",route=\"/convert\",service=\"converter-vertx\"} \\d+")
        .containsPattern("vertx_http_server_requests_total\\{code=\"200\",method=\"GET\",route=\"/convert\",service=\"converter-vertx\"} \\d+")
        .contains("vertx_http_server_response_time_seconds_bucket{code=\"200\",method=\"POST\",route=\"/convert\"")
        .contains("jvm_memory_used_bytes{")
        .contains("jvm_threads_live_threads{")
        .contains("process_resident_memory_bytes{");
  }

  @Test
  void startsQuicklyEnoughToBeWorthMeasuring() {
    assertThat(server.running().startupMillis()).isPositive();
    assertThat(Duration.ofMillis(server.running().startupMillis())).isLessThan(Duration.ofMinutes(1));
  }

  static String batchOf(int size) {
    StringBuilder json = new StringBuilder("{\"fahrenheit\": [");
    for (int i = 0; i < size; i++) {
      json.append(i == 0 ? "" : ",").append(i % 500);
    }
    return json.append("]}").toString();
  }
}
