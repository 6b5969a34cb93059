package dev.footprint.core;

import dev.footprint.core.http.OpenApi;
import dev.footprint.core.testing.OpenApiContract;
import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core's part of every /openapi.json, and that OpenApiContract catches a document that is not true. */
@ExtendWith(VertxExtension.class)
class OpenApiTest {
  private static Served served;
  private static JsonObject document;

  @BeforeAll
  static void start(Vertx vertx) throws IOException {
    served = Served.start(vertx, SampleService.SPEC, Map.of("MAX_BODY_BYTES", "4096"));
    document = OpenApiContract.check(served);
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @Test
  void theDocumentHasTheCoresPathsAndTheLimitsInForce() {
    assertThat(document.getJsonObject("paths").fieldNames())
        .contains("/health/live", "/health/ready", "/metrics", "/openapi.json", "/echo", "/items/{id}");
    assertThat(document.getJsonObject("info").getString("title")).isEqualTo("sample");
    assertThat(document.getJsonObject("components").getJsonObject("responses").getJsonObject("PayloadTooLarge")
        .getString("description")).contains("4096 bytes");
    JsonObject echo = document.getJsonObject("paths").getJsonObject("/echo").getJsonObject("post").getJsonObject("responses");
    assertThat(echo.fieldNames()).contains("200", "400", "408", "413", "414", "415", "431", "500", "503");
    assertThat(echo.getJsonObject("200").getJsonObject("headers").fieldNames()).contains("X-App-Id", "X-Pod-Name");
  }

  @Test
  void everyGetHasItsHeadWithoutABody() {
    JsonObject ready = document.getJsonObject("paths").getJsonObject("/health/ready").getJsonObject("head");
    assertThat(ready.getString("operationId")).isEqualTo("healthReadyHead");
    assertThat(ready.getJsonObject("responses").getJsonObject("503").containsKey("content")).isFalse();
    // A shared response is copied without its content, its headers kept.
    JsonObject item = document.getJsonObject("paths").getJsonObject("/items/{id}").getJsonObject("head");
    assertThat(item.getJsonObject("responses").getJsonObject("503").containsKey("content")).isFalse();
    assertThat(item.getJsonObject("responses").getJsonObject("503").getJsonObject("headers").fieldNames()).contains("Retry-After");
  }

  @Test
  void aRouteMissingFromTheDocumentOrAnOperationWithoutARouteIsCaught() {
    JsonObject missing = document.copy();
    missing.getJsonObject("paths").remove("/items/{id}");
    assertThat(OpenApiContract.routeMismatches(served.server().running().routes(), missing))
        .containsExactlyInAnyOrder("route not documented: GET /items/{id}", "route not documented: HEAD /items/{id}");

    JsonObject extra = document.copy();
    extra.getJsonObject("paths").getJsonObject("/echo").put("delete", new JsonObject().put("responses", new JsonObject()));
    extra.getJsonObject("paths").put("/nowhere", new JsonObject().put("get", new JsonObject()));
    assertThat(OpenApiContract.routeMismatches(served.server().running().routes(), extra))
        .containsExactlyInAnyOrder("documented, no route: DELETE /echo", "documented, no route: GET /nowhere");
  }

  @Test
  void anInvalidDocumentIsCaughtByTheValidator() {
    JsonObject noResponses = document.copy();
    noResponses.getJsonObject("paths").getJsonObject("/echo").getJsonObject("post").remove("responses");
    assertThat(OpenApiContract.validationMessages(noResponses.encode())).isNotEmpty();

    JsonObject badRef = document.copy();
    badRef.getJsonObject("paths").getJsonObject("/echo").getJsonObject("post").getJsonObject("responses")
        .put("418", new JsonObject().put("$ref", "#/components/responses/Teapot"));
    assertThat(OpenApiContract.validationMessages(badRef.encode())).isNotEmpty();

    assertThat(OpenApiContract.validationMessages(document.copy().put("openapi", "3.0.3").encode())).isNotEmpty();
  }

  @Test
  void aPlaceholderWithoutAValueOrAPathDeclaredTwiceIsAStartUpError() {
    JsonObject unknown = new JsonObject().put("paths", new JsonObject().put("/x", new JsonObject().put("get",
        new JsonObject().put("description", "up to ${NO_SUCH_LIMIT}").put("responses", new JsonObject()))));
    assertThatThrownBy(() -> OpenApi.build(unknown, Map.of("SERVICE", "s", "VERSION", "1", "MAX_BODY_BYTES", 1,
        "MAX_INFLIGHT_REQUESTS", 1, "REQUEST_HEADER_TIMEOUT_SECONDS", 1, "REQUEST_BODY_TIMEOUT_SECONDS", 1)))
        .hasMessageContaining("${NO_SUCH_LIMIT}");
    JsonObject twice = new JsonObject().put("paths", new JsonObject().put("/metrics", new JsonObject()));
    assertThatThrownBy(() -> OpenApi.build(twice, Map.of())).hasMessageContaining("paths//metrics");
  }
}
