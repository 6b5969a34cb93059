package dev.footprint.model;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** Each bad request gets TensorFlow Serving's status and message, as {"error": ...}; the server keeps serving. */
@ExtendWith(VertxExtension.class)
class BadInputTest {
  @TempDir
  static Path base;
  private static TestServer server;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(),
        "MODEL_VERSION_LABELS", "stable=1,next=2", "MAX_INSTANCES", "1000", "MODEL_POLL_SECONDS", "0"));
    client = new TestClient(vertx, server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @AfterEach
  void stillServes() {
    assertThat(assertOkJson(client.post("/v1/models/model:predict", "{\"inputs\": 212}")).getFloat("outputs")).isEqualTo(100f);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"instances\": [\"212\"]}                | Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: \"212\" Type: String is not of expected type: float",
      "{\"instances\": [1, \"2\"]}               | Failed to process element: 1 of 'instances' list",
      "{\"inputs\": \"hot\"}                     | JSON Value: \"hot\" Type: String is not of expected type: float",
      "{\"inputs\": [true]}                      | JSON Value: true Type: True is not of expected type: float",
      "{\"inputs\": [null]}                      | JSON Value: null Type: Null is not of expected type: float",
      "{\"instances\": [[212]]}                  | input \"fahrenheit\" of signature \"serving_default\" takes shape [-1]",
      "{\"inputs\": [[1, 2], [3]]}               | Encountered list at unexpected size: 1 at level: 1 expected size: 2",
      "{\"inputs\": [1, [2]]}                    | Encountered list at unexpected level: 1 expected < 1",
      "{\"inputs\": [[1], 2]}                    | JSON Value: 2 found at incorrect level: 2 in the JSON DOM. Expected at level: 2",
      "{\"instances\": [1, [2]]}                 | Expecting shape [] but got: [1]",
      "{\"instances\": []}                       | No values in 'instances' array",
      "{\"instances\": 212}                      | Expecting 'instances' to be an list/array",
      "{\"instances\": [1], \"inputs\": [1]}     | expecting only one of 'inputs' or 'instances' keys to exist",
      "{\"fahrenheit\": 212}                     | Missing 'inputs' or 'instances' key",
      "{}                                        | Missing 'inputs' or 'instances' key",
      "[212]                                     | JSON Value: [212] Is not object",
      "{\"signature_name\": 7, \"inputs\": 1}    | 'signature_name' key must be a string value",
      "{\"signature_name\": \"classify\", \"inputs\": 1} | Serving signature name: \"classify\" not found in signature def",
      "{\"instances\": [{\"celsius\": 1}]}       | JSON object: does not have named input: celsius",
      "{\"inputs\": {\"celsius\": [1]}}          | Missing named input: fahrenheit in 'inputs' object.",
      "{\"inputs\": 212                          | JSON Parse error",
      "{inputs: 212}                             | JSON Parse error",
  })
  void badBodiesAre400sWithTensorFlowServingsMessages(String body, String message) {
    assertError(client.post("/v1/models/model:predict", body.trim()), 400, message);
  }

  @Test
  void anEmptyBodyIsA400() {
    assertError(client.post("/v1/models/model:predict", ""), 400, "JSON Parse error: The document is empty");
  }

  @Test
  void aHugeInstancesListIsA413AndABodyOverTheLimitToo() {
    StringBuilder instances = new StringBuilder("{\"instances\": [0");
    instances.append(",1".repeat(1000)).append("]}");
    assertError(client.post("/v1/models/model:predict", instances.toString()), 413, "the limit is 1000 (MAX_INSTANCES)");
    String tooLarge = "{\"instances\": [" + "1,".repeat(200_000) + "1]}";
    assertError(client.post("/v1/models/model:predict", tooLarge), 413, "request body too large");
  }

  @Test
  void unknownModelsVersionsAndLabelsAreTensorFlowServingsErrors() {
    assertError(client.post("/v1/models/nope:predict", "{\"inputs\": 1}"), 404, "Servable not found for request: Latest(nope)");
    assertError(client.post("/v1/models/model/versions/9:predict", "{\"inputs\": 1}"), 404,
        "Servable not found for request: Specific(model, 9)");
    assertError(client.post("/v1/models/model/labels/canary:predict", "{\"inputs\": 1}"), 400,
        "Unrecognized servable version label: canary");
    assertError(client.post("/v1/models/model/labels/next:predict", "{\"inputs\": 1}"), 404,
        "Servable not found for request: Specific(model, 2)");
    assertError(client.get("/v1/models/nope"), 404, "Could not find any versions of model nope");
    assertError(client.get("/v1/models/model/versions/9"), 404, "Could not find version 9 of model model");
    assertError(client.get("/v1/models/nope/metadata"), 404, "Servable not found for request: Latest(nope)");
    assertError(client.post("/v2/models/nope/infer", "{}"), 404, "Servable not found for request: Latest(nope)");
    assertError(client.get("/v2/models/nope/ready"), 404, "not served here");
  }

  @Test
  void badOpenInferenceRequestsAre400s() {
    String good = "{\"name\": \"fahrenheit\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [1, 2]}";
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": []}"), 400, "\"inputs\" must be a non-empty array");
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": [" + good.replace("FP32", "INT32") + "]}"), 400,
        "has datatype \"INT32\"; the model expects FP32");
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": [" + good.replace("[2]", "[3]") + "]}"), 400,
        "input 'fahrenheit' has 2 values; shape [3] needs 3");
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": [" + good.replace("fahrenheit", "kelvin") + "]}"), 400,
        "unexpected inference input 'kelvin'");
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": [" + good + "], \"outputs\": [{\"name\": \"kelvin\"}]}"), 400,
        "unexpected inference output 'kelvin'");
    assertError(client.post("/v2/models/model/infer", "{\"inputs\": [" + good.replace("[1, 2]", "[1, \"2\"]") + "]}"), 400,
        "\"2\" is not a number");
  }

  @Test
  void wrongMethodsAndSignaturesOfAnotherKindAreJsonToo() {
    assertError(client.send(HttpMethod.GET, "/v1/models/model:predict"), 400, "Malformed request: GET /v1/models/model:predict");
    assertError(client.send(HttpMethod.DELETE, "/v1/models/model"), 400, "Malformed request: DELETE /v1/models/model");
    assertError(client.post("/v1/models/model:regress", "{\"examples\": [{\"fahrenheit\": 212.0}]}"), 400,
        "Expected regression signature method_name to be tensorflow/serving/regress");
    assertError(client.get("/v1/models/model/versions/99999999999999999999"), 400, "Failed to convert version");
  }
}
