package dev.footprint.core;

import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.testing.RawHttp;
import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertHeadLikeGet;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9110's method semantics on every route, the core's own included: HEAD wherever GET is
 * (9.3.2), and {@code Allow} on every 405 (15.5.6), listing HEAD where GET is allowed.
 */
@ExtendWith(VertxExtension.class)
class HttpMethodsTest {
  private static Served served;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) {
    served = Served.start(vertx, SampleService.SPEC, Map.of());
    client = served.client();
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @Test
  void headIsAnsweredOnEveryGetRouteWithGetsHeadersAndNoBody() throws IOException {
    assertHeadLikeGet(served.port(), "/items/abc", true);
    assertHeadLikeGet(served.port(), "/health/live", true);
    // Not ready yet (the sample's dependency is down): HEAD says 503 too, with the same length.
    assertThat(assertHeadLikeGet(served.port(), "/health/ready", true).status()).isEqualTo(503);
    // Each scrape differs a little (counters move), so only its length's presence is compared.
    assertThat(assertHeadLikeGet(served.port(), "/metrics", false).header("content-type")).startsWith("text/plain");
  }

  @Test
  void headOnAnErrorHasTheErrorsLengthAndNoBody() throws IOException {
    // A 404 and a 500 to HEAD: the JSON error's headers, without the error (the 404's names HEAD).
    RawHttp.Response notFound = assertHeadLikeGet(served.port(), "/nowhere", false);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.header("content-length"))
        .isEqualTo(String.valueOf(HttpErrors.body("no route for HEAD /nowhere").length()));
    assertThat(assertHeadLikeGet(served.port(), "/boom", true).status()).isEqualTo(500);
  }

  @Test
  void headIsCountedUnderItsOwnMethodAndTheRouteTemplate() {
    assertThat(client.send(HttpMethod.HEAD, "/items/1").statusCode()).isEqualTo(200);
    assertThat(client.get("/metrics").bodyAsString())
        .contains("vertx_http_server_requests_total{code=\"200\",method=\"HEAD\",route=\"/items/:id\",service=\"sample\"} ");
  }

  @Test
  void every405CarriesAllowListingHeadWhereGetIsAllowed() {
    assertAllow(HttpMethod.PUT, "/items/1", "GET, HEAD");
    assertAllow(HttpMethod.DELETE, "/echo", "POST");
    for (String core : List.of("/health/live", "/health/ready", "/metrics")) {
      for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH)) {
        assertAllow(method, core, "GET, HEAD");
      }
    }
  }

  @Test
  void headOnAPostOnlyRouteIs405WithAllowAndNoBody() throws IOException {
    try (RawHttp raw = new RawHttp(served.port(), 10_000)) {
      RawHttp.Response head = raw.send(RawHttp.request("HEAD", "/echo")).readHead();
      assertThat(head.status()).isEqualTo(405);
      assertThat(head.header("allow")).isEqualTo("POST");
      assertThat(head.header("content-length")).matches("[1-9][0-9]*");
      assertThat(raw.send(RawHttp.get("/items/x")).read().status()).isEqualTo(200);
    }
  }

  @Test
  void optionsLikeAnyOtherUnlistedMethodIsA405WithAllow() {
    assertAllow(HttpMethod.OPTIONS, "/items/1", "GET, HEAD");
    assertAllow(HttpMethod.OPTIONS, "/health/live", "GET, HEAD");
  }

  private void assertAllow(HttpMethod method, String path, String allow) {
    HttpResponse<Buffer> response = client.send(method, path);
    assertError(response, 405, "method " + method.name() + " not allowed on ");
    assertThat(response.getHeader("Allow")).as("Allow of %s %s", method, path).isEqualTo(allow);
  }
}
