package dev.footprint.converter;

import dev.footprint.core.testing.OpenApiContract;
import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The converter's /openapi.json against its router and its answers, on a random port. */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {

  @Test
  void theDocumentIsTrueToTheRoutesAndTheLimitsInForce(Vertx vertx) throws Exception {
    try (Served served = Served.start(vertx, ConverterApp.SPEC, Map.of("MAX_BATCH_SIZE", "7"))) {
      JsonObject document = OpenApiContract.check(served);
      JsonObject fahrenheit = document.getJsonObject("paths").getJsonObject("/convert").getJsonObject("post")
          .getJsonObject("requestBody").getJsonObject("content").getJsonObject("application/json")
          .getJsonObject("schema").getJsonObject("properties").getJsonObject("fahrenheit");
      assertThat(fahrenheit.getJsonArray("oneOf").getJsonObject(1).getInteger("maxItems")).isEqualTo(7);
      assertThat(document.getJsonObject("paths").fieldNames())
          .containsExactlyInAnyOrder("/", "/convert", "/health/live", "/health/ready", "/metrics", "/openapi.json");
    }
  }
}
