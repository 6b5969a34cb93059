package dev.footprint.model;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static dev.footprint.model.TestModels.celsius;
import static org.assertj.core.api.Assertions.assertThat;

/** WARMUP_SECONDS: the model server sends itself each model's predict request before it turns ready. */
@ExtendWith(VertxExtension.class)
class ModelWarmupTest {
  private static final Pattern PREDICTS_ANSWERED =
      Pattern.compile("vertx_http_server_requests_total\\{[^}]*code=\"(\\d+)\"[^}]*route=\"[^\"]*predict[^\"]*\"[^}]*} ([0-9.E]+)");

  @TempDir
  Path base;

  @Test
  void thePredictRequestsOfTheWarmupAreAnsweredBeforeTheServerIsReady(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    try (TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of(
        "MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "0", "WARMUP_SECONDS", "2"));
         TestClient client = new TestClient(vertx, server.port())) {
      Map<String, Double> byCode = predicts(client.get("/metrics").bodyAsString());
      // Every warm-up request was a valid one: a request built wrong from the signature would be a 400.
      assertThat(byCode).containsOnlyKeys("200");
      assertThat(byCode.get("200")).as("warm-up predictions answered").isGreaterThan(50);
      assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"instances\": [212.0]}"))
          .getJsonArray("predictions").getFloat(0)).isEqualTo(celsius(212f));
    }
  }

  private static Map<String, Double> predicts(String metrics) {
    Map<String, Double> byCode = new java.util.TreeMap<>();
    Matcher m = PREDICTS_ANSWERED.matcher(metrics);
    while (m.find()) {
      byCode.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
    }
    return byCode;
  }
}
