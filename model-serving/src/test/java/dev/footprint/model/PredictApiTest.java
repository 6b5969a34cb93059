package dev.footprint.model;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static dev.footprint.model.TestModels.celsius;
import static org.assertj.core.api.Assertions.assertThat;

/** TensorFlow Serving's predict API against the real server: both formats, scalars and batches, every value exact. */
@ExtendWith(VertxExtension.class)
class PredictApiTest {
  /** Ordinary values, the edges of float32, and values whose float32 rounding matters. */
  static final float[] VALUES = {212f, 32f, -40f, 98.6f, 0f, -0f, -459.67f, 451f, 1e-30f, -1e-30f, 1.4e-45f,
      Float.MIN_NORMAL, 1e10f, -1e10f, 3.4028235e38f, -3.4028235e38f, 1.7e38f, 0.1f, 1f / 3, 123456.789f, -273.15f, 16777217f};

  @TempDir
  static Path base;
  private static TestServer server;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of(
        "MODEL_BASE_PATH", base.toString(), "MODEL_VERSION_LABELS", "stable=1", "MODEL_POLL_SECONDS", "0"));
    client = new TestClient(vertx, server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void theOldClientsCallAnswersWithTheConversion() {
    // As the TensorFlow Serving clients sent it, with no Content-Type.
    JsonObject body = assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": 42}", null));
    assertThat(body.fieldNames()).containsExactly("outputs");
    assertThat(body.getFloat("outputs")).isEqualTo(celsius(42f));
    assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": 212}")).encode()).isEqualTo("{\"outputs\":100.0}");
  }

  @Test
  void curlsFormContentTypeIsAcceptedAsTensorFlowServingDoes() {
    assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"instances\": [212]}",
        "application/x-www-form-urlencoded")).encode()).isEqualTo("{\"predictions\":[100.0]}");
  }

  @Test
  void rowFormatGivesOnePredictionPerInstanceEqualToTheClosedForm() {
    JsonArray predictions = assertOkJson(client.post("/v1/models/model:predict", "{\"instances\": " + json(VALUES) + "}"))
        .getJsonArray("predictions");
    assertThat(predictions).hasSize(VALUES.length);
    for (int i = 0; i < VALUES.length; i++) {
      assertThat(predictions.getNumber(i).floatValue()).as("celsius of %s", VALUES[i]).isEqualTo(celsius(VALUES[i]));
    }
  }

  @Test
  void columnarFormatGivesTheOutputTensor() {
    JsonArray outputs = assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": " + json(VALUES) + "}"))
        .getJsonArray("outputs");
    for (int i = 0; i < VALUES.length; i++) {
      assertThat(outputs.getNumber(i).floatValue()).as("celsius of %s", VALUES[i]).isEqualTo(celsius(VALUES[i]));
    }
    JsonObject named = assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": {\"fahrenheit\": [212, -40]}}"));
    assertThat(named.encode()).isEqualTo("{\"outputs\":[100.0,-40.0]}");
  }

  @Test
  void everyScalarAloneMatchesTheClosedForm() {
    for (float value : VALUES) {
      JsonObject body = assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": " + value + "}"));
      assertThat(body.getNumber("outputs").floatValue()).as("celsius of %s", value).isEqualTo(celsius(value));
    }
  }

  @Test
  void anEmptyColumnarTensorGivesAnEmptyAnswer() {
    assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": []}")).encode()).isEqualTo("{\"outputs\":[]}");
  }

  @Test
  void namedInstancesAndAnExplicitSignatureWork() {
    assertThat(assertOkJson(client.post("/v1/models/model:predict",
        "{\"signature_name\": \"serving_default\", \"instances\": [{\"fahrenheit\": 212}, {\"fahrenheit\": 32}]}")).encode())
        .isEqualTo("{\"predictions\":[100.0,0.0]}");
  }

  @Test
  void nonFiniteNumbersAreAcceptedAndWrittenAsTensorFlowServingWritesThem() {
    String body = client.post("/v1/models/model:predict", "{\"instances\": [NaN, Infinity, -Infinity, 1e39]}").bodyAsString();
    assertThat(body).isEqualTo("{\"predictions\":[NaN,Infinity,-Infinity,Infinity]}");
  }

  @Test
  void aVersionOrALabelInThePathPicksThatVersion() {
    assertThat(assertOkJson(client.post("/v1/models/model/versions/1:predict", "{\"inputs\": 212}")).getFloat("outputs")).isEqualTo(100f);
    assertThat(assertOkJson(client.post("/v1/models/model/labels/stable:predict", "{\"inputs\": 212}")).getFloat("outputs")).isEqualTo(100f);
    assertThat(assertOkJson(client.post("/V1/MODELS/model:predict", "{\"inputs\": 212}")).getFloat("outputs")).isEqualTo(100f);
  }

  @Test
  void statusHasTensorFlowServingsShape() {
    String expected = "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
        + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}";
    assertThat(assertOkJson(client.get("/v1/models/model")).encode()).isEqualTo(expected);
    assertThat(assertOkJson(client.get("/v1/models/model/versions/1")).encode()).isEqualTo(expected);
    assertThat(assertOkJson(client.get("/v1/models/model/labels/stable")).encode()).isEqualTo(expected);
  }

  @Test
  void metadataHasTheSignatureDefAsTensorFlowServingPrintsIt() {
    JsonObject body = assertOkJson(client.get("/v1/models/model/metadata"));
    assertThat(body.getJsonObject("model_spec")).isEqualTo(new JsonObject()
        .put("name", "model").put("signature_name", "").put("version", "1"));
    JsonObject signature = body.getJsonObject("metadata").getJsonObject("signature_def")
        .getJsonObject("signature_def").getJsonObject("serving_default");
    JsonObject shape = new JsonObject().put("dim", new JsonArray().add(new JsonObject().put("size", "-1").put("name", "")))
        .put("unknown_rank", false);
    assertThat(signature).isEqualTo(new JsonObject()
        .put("inputs", new JsonObject().put("fahrenheit", new JsonObject()
            .put("dtype", "DT_FLOAT").put("tensor_shape", shape).put("name", "fahrenheit:0")))
        .put("outputs", new JsonObject().put("celsius", new JsonObject()
            .put("dtype", "DT_FLOAT").put("tensor_shape", shape).put("name", "celsius:0")))
        .put("method_name", "tensorflow/serving/predict")
        .put("defaults", new JsonObject()));
    assertThat(assertOkJson(client.get("/v1/models/model/versions/1/metadata")).getJsonObject("model_spec").getString("version"))
        .isEqualTo("1");
  }

  @Test
  void theOpenInferenceProtocolServesTheSameModel() {
    assertThat(assertOkJson(client.get("/v2/health/live")).encode()).isEqualTo("{\"live\":true}");
    assertThat(assertOkJson(client.get("/v2/health/ready")).encode()).isEqualTo("{\"ready\":true}");
    assertThat(assertOkJson(client.get("/v2")).getString("name")).isEqualTo("model-serving");
    assertThat(assertOkJson(client.get("/v2/models/model/ready")).encode()).isEqualTo("{\"name\":\"model\",\"ready\":true}");
    assertThat(assertOkJson(client.get("/v2/models/model/versions/1/ready")).getBoolean("ready")).isTrue();
    assertThat(client.get("/v2/models/model/versions/2/ready").statusCode()).isEqualTo(400);
    assertThat(assertOkJson(client.get("/v2/models/model")).encode()).isEqualTo(
        "{\"name\":\"model\",\"versions\":[\"1\"],\"platform\":\"tensorflow_savedmodel\","
            + "\"inputs\":[{\"name\":\"fahrenheit\",\"datatype\":\"FP32\",\"shape\":[-1]}],"
            + "\"outputs\":[{\"name\":\"celsius\",\"datatype\":\"FP32\",\"shape\":[-1]}]}");
    JsonObject answer = assertOkJson(client.post("/v2/models/model/versions/1/infer",
        "{\"id\": \"42\", \"inputs\": [{\"name\": \"fahrenheit\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [212, 32, 98.6]}],"
            + " \"outputs\": [{\"name\": \"celsius\"}]}"));
    assertThat(answer.encode()).isEqualTo("{\"model_name\":\"model\",\"model_version\":\"1\",\"id\":\"42\","
        + "\"outputs\":[{\"name\":\"celsius\",\"datatype\":\"FP32\",\"shape\":[3],\"data\":[100.0,0.0," + celsius(98.6f) + "]}]}");
  }

  @Test
  void metricsShowInferenceBatchesQueueAndVersions() {
    assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": 1}"));
    String metrics = client.get("/metrics").bodyAsString();
    assertThat(metrics)
        .contains("footprint_model_inference_seconds_bucket{")
        .contains("footprint_model_batch_size_bucket{")
        .contains("footprint_model_batch_requests_count{")
        .contains("footprint_model_queue_depth{")
        .containsPattern("footprint_model_versions_loaded\\{model=\"model\",service=\"model-serving\"} 1\\.0")
        .containsPattern("vertx_http_server_requests_total\\{code=\"200\",method=\"POST\",route=\"/v1/models/\\{model}:predict\",service=\"model-serving\"} \\d+");
  }

  static String json(float[] values) {
    List<String> parts = new ArrayList<>();
    for (float value : values) {
      parts.add(Float.toString(value));
    }
    return "[" + String.join(",", parts) + "]";
  }
}
