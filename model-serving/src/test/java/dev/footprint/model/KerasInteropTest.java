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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A SavedModel written by Python TensorFlow 2.18 (src/test/python/make_keras_model.py: a Keras
 * Dense(1) fitted on Fahrenheit/Celsius pairs), served beside the Java-exported model. Its signature
 * has Keras's own tensor names and shape [-1, 1], read from the signature def, not assumed.
 */
@ExtendWith(VertxExtension.class)
class KerasInteropTest {
  private static final String PREDICT = "/v1/models/keras_fahrenheit:predict";
  @TempDir
  static Path base;
  private static TestServer server;
  private static TestClient client;
  private static double weight;
  private static double bias;
  private static String input;
  private static String output;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.keras(base);
    TestModels.formula(base, "model", 1);
    JsonObject fitted = new JsonObject(Files.readString(base.resolve("keras_fahrenheit/fitted.json")));
    weight = fitted.getDouble("weight");
    bias = fitted.getDouble("bias");
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(),
        "MODEL_NAME", "model,keras_fahrenheit", "MODEL_POLL_SECONDS", "0"));
    client = new TestClient(vertx, server.port());
    JsonObject signature = assertOkJson(client.get("/v1/models/keras_fahrenheit/metadata")).getJsonObject("metadata")
        .getJsonObject("signature_def").getJsonObject("signature_def").getJsonObject("serving_default");
    input = signature.getJsonObject("inputs").fieldNames().iterator().next();
    output = signature.getJsonObject("outputs").fieldNames().iterator().next();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  /** The fitted line in float32, as the Dense layer computes it. */
  private static float expected(float fahrenheit) {
    return fahrenheit * (float) weight + (float) bias;
  }

  @Test
  void theSignatureKeepsKerasNamesAndShapes() {
    assertThat(input).isNotEqualTo("fahrenheit");
    assertThat(output).isNotEqualTo("celsius");
    JsonObject v2 = assertOkJson(client.get("/v2/models/keras_fahrenheit"));
    assertThat(v2.getJsonArray("inputs").getJsonObject(0).getJsonArray("shape")).isEqualTo(new JsonArray().add(-1).add(1));
    assertThat(v2.getJsonArray("inputs").getJsonObject(0).getString("name")).isEqualTo(input);
  }

  @Test
  void rowFormatAnswersWithTheFittedLine() {
    JsonArray predictions = assertOkJson(client.post(PREDICT, "{\"instances\": [[212.0], [32.0], [-40.0], [98.6]]}"))
        .getJsonArray("predictions");
    float[] fahrenheit = {212f, 32f, -40f, 98.6f};
    for (int i = 0; i < fahrenheit.length; i++) {
      float answer = predictions.getJsonArray(i).getNumber(0).floatValue();
      assertThat(answer).isCloseTo(expected(fahrenheit[i]), within(1e-4f));
      // It was fitted well: within 0.01 degree of the closed form.
      assertThat((double) answer).isCloseTo((fahrenheit[i] - 32) * 5 / 9.0, within(0.01));
    }
  }

  @Test
  void columnarFormatByTheSignaturesInputName() {
    JsonArray outputs = assertOkJson(client.post(PREDICT, "{\"inputs\": {\"" + input + "\": [[212.0], [50.0]]}}"))
        .getJsonArray("outputs");
    assertThat(outputs.getJsonArray(0).getNumber(0).floatValue()).isCloseTo(expected(212f), within(1e-4f));
    assertThat(outputs.getJsonArray(1).getNumber(0).floatValue()).isCloseTo(expected(50f), within(1e-4f));
    JsonObject named = assertOkJson(client.post(PREDICT, "{\"instances\": [{\"" + input + "\": [212.0]}]}"));
    assertThat(named.getJsonArray("predictions").getJsonArray(0).getNumber(0).floatValue()).isCloseTo(expected(212f), within(1e-4f));
  }

  @Test
  void theOpenInferenceProtocolUsesTheSameNames() {
    JsonObject answer = assertOkJson(client.post("/v2/models/keras_fahrenheit/infer",
        "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": [2, 1], \"datatype\": \"FP32\", \"data\": [212, 32]}]}"));
    JsonObject tensor = answer.getJsonArray("outputs").getJsonObject(0);
    assertThat(tensor.getString("name")).isEqualTo(output);
    assertThat(tensor.getJsonArray("shape")).isEqualTo(new JsonArray().add(2).add(1));
    assertThat(tensor.getJsonArray("data").getNumber(0).floatValue()).isCloseTo(expected(212f), within(1e-4f));
  }

  @Test
  void aScalarOrAFlatListDoesNotFitItsShape() {
    assertError(client.post(PREDICT, "{\"inputs\": 212}"), 400, "takes shape [-1,1]");
    assertError(client.post(PREDICT, "{\"instances\": [212, 32]}"), 400, "takes shape [-1,1]; the request gives shape [2]");
  }

  @Test
  void bothModelsServeSideBySide() {
    assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": 212}")).getFloat("outputs")).isEqualTo(100f);
    assertThat(assertOkJson(client.get("/health/ready")).getJsonArray("checks").encode())
        .contains("\"model\":[1]").contains("\"keras_fahrenheit\":[1]");
  }
}
