package dev.footprint.price;

import dev.footprint.core.testing.OpenApiContract;
import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** price-service's /openapi.json against its router and its answers, on a random port. */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {
  @TempDir
  Path dir;

  @Test
  void theDocumentIsTrueToTheRoutesAndTheLimitsInForce(Vertx vertx) throws Exception {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), "P123,19.99\nP124,49.5\nP130,15.75,EUR\n");
    try (Served served = Served.start(vertx, PriceApp.SPEC, Map.of("PRICES_SOURCE", file.toString(), "MAX_LOOKUP_IDS", "5",
        "PRICES_POLL_SECONDS", "0"))) {
      Await.until("ready", Duration.ofSeconds(10), () -> served.client().get("/health/ready").statusCode() == 200);
      JsonObject document = OpenApiContract.check(served);
      assertThat(document.getJsonObject("paths").getJsonObject("/prices/lookup").getJsonObject("post")
          .getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
          .getJsonObject("schema").getJsonObject("properties").getJsonObject("productIds").getInteger("maxItems")).isEqualTo(5);
      assertThat(document.getJsonObject("paths").fieldNames()).contains("/prices/{productId}", "/price", "/catalog", "/admin/reload");
    }
  }
}
