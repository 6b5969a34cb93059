package dev.footprint.converter;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertHeadLikeGet;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad input is a clear 4xx in JSON, and the server keeps serving after each. */
@ExtendWith(VertxExtension.class)
class BadInputTest {
  private static TestServer server;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    server = TestServer.start(ConverterApp.SPEC, Map.of("MAX_BATCH_SIZE", "3"));
    client = new TestClient(vertx, server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @AfterEach
  void stillServes() {
    assertThat(assertOkJson(client.post("/convert", "{\"fahrenheit\": 212}")).getDouble("celsius")).isEqualTo(100.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"fahrenheit\": \"212\"}            | \"fahrenheit\" must be a number, not a string",
      "{\"fahrenheit\": null}               | \"fahrenheit\" must be a number, not null",
      "{\"fahrenheit\": true}               | \"fahrenheit\" must be a number, not a boolean",
      "{\"fahrenheit\": {\"value\": 1}}     | \"fahrenheit\" must be a number, not an object",
      "{\"fahrenheit\": NaN}                | malformed JSON",
      "{\"fahrenheit\": Infinity}           | malformed JSON",
      "{\"fahrenheit\": -Infinity}          | malformed JSON",
      "{\"fahrenheit\": 1e400}              | \"fahrenheit\" is out of range",
      "{\"fahrenheit\": -1e400}             | \"fahrenheit\" is out of range",
      "{\"fahrenheit\": 1.7976931348623157e308} | \"fahrenheit\" is out of range",
      "{}                                   | missing field \"fahrenheit\"",
      "{\"celsius\": 100}                   | missing field \"fahrenheit\"",
      "[212]                                | must be a JSON object, not an array",
      "212                                  | must be a JSON object, not a number",
      "\"212\"                              | must be a JSON object, not a string",
      "{\"fahrenheit\": 212                 | malformed JSON",
      "{fahrenheit: 212}                    | malformed JSON",
  })
  void badBodiesAre400s(String body, String message) {
    assertError(client.post("/convert", body.trim()), 400, message);
  }

  @Test
  void aHugeIntegerBeyondDoubleRangeIsA400() {
    assertError(client.post("/convert", "{\"fahrenheit\": 1" + "0".repeat(400) + "}"), 400, "out of range");
  }

  @Test
  void anEmptyBodyIsA400() {
    assertError(client.post("/convert", ""), 400, "request body is empty");
  }

  @Test
  void aOneMegabyteBodyIsA413() {
    String body = "{\"fahrenheit\": [" + "1,".repeat(512 * 1024) + "1]}";
    assertThat(body.length()).isGreaterThan(1_000_000);
    assertError(client.post("/convert", body), 413, "request body too large");
  }

  @Test
  void aBatchOverTheConfiguredCapIsA413() {
    assertThat(assertOkJson(client.post("/convert", "{\"fahrenheit\": [1, 2, 3]}")).getJsonArray("celsius")).hasSize(3);
    assertError(client.post("/convert", "{\"fahrenheit\": [1, 2, 3, 4]}"), 413, "over the limit of 3 (MAX_BATCH_SIZE)");
  }

  @Test
  void aWrongContentTypeIsA415() {
    assertError(client.post("/convert", "{\"fahrenheit\": 212}", "text/plain"), 415, "unsupported content type");
    assertError(client.post("/convert", "fahrenheit=212", "application/x-www-form-urlencoded"), 415, "send application/json");
    assertError(client.post("/convert", "<f>212</f>", "application/xml"), 415, "unsupported content type");
  }

  @Test
  void wrongMethodsAndRoutesAreJsonToo() {
    assertThat(client.send(HttpMethod.DELETE, "/convert").getHeader("Allow")).isEqualTo("POST, GET, HEAD");
    assertThat(client.send(HttpMethod.DELETE, "/health/ready").getHeader("Allow")).isEqualTo("GET, HEAD");
    assertError(client.send(HttpMethod.PUT, "/convert"), 405, "not allowed on /convert");
    assertError(client.send(HttpMethod.POST, "/"), 405, "not allowed on /");
    assertError(client.get("/celsius"), 404, "no route for GET /celsius");
  }

  @Test
  void headIsAnsweredWhereGetIs() throws java.io.IOException {
    assertHeadLikeGet(server.port(), "/convert?fahrenheit=451", true);
    assertHeadLikeGet(server.port(), "/convert?fahrenheit=hot", true);
    // The greeting's timestamp changes its length from one call to the next.
    assertHeadLikeGet(server.port(), "/", false);
  }
}
