package dev.footprint.model;

import dev.footprint.core.testing.OpenApiContract;
import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * model-serving's /openapi.json against its router and its answers, on a random port: TensorFlow
 * Serving's REST API (each form of its regular expression routes a path of the document) and V2.
 */
@ExtendWith(VertxExtension.class)
class OpenApiDocumentTest {
  @TempDir
  Path base;

  @Test
  void theDocumentIsTrueToTheRoutesAndTheLimitsInForce(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    try (Served served = Served.start(vertx, ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(),
        "MODEL_POLL_SECONDS", "0", "MAX_INSTANCES", "9"))) {
      JsonObject document = OpenApiContract.check(served);
      JsonObject paths = document.getJsonObject("paths");
      assertThat(paths.fieldNames()).contains("/v1/models/{model}:predict", "/v1/models/{model}/versions/{version}:predict",
          "/v1/models/{model}/labels/{label}/metadata", "/v2/models/{model}/versions/{version}/infer", "/v2/health/ready");
      assertThat(document.getJsonObject("components").getJsonObject("schemas").getJsonObject("PredictRequest")
          .getJsonObject("properties").getJsonObject("instances").getInteger("maxItems")).isEqualTo(9);
    }
  }
}
