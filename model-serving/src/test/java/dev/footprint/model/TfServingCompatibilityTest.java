package dev.footprint.model;

import dev.footprint.core.testing.Served;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TensorFlow Serving's REST API as its documentation (g3doc/api_rest.md) and its handler
 * (http_rest_api_handler.cc, http_rest_api_util.cc, json_tensor.cc, and their tests) define it:
 * every request form with its answer, every class of error with its status and whole message. A
 * row per case: method, path, body (`-` for none), status, and the exact answer (the JSON
 * document of a 200, an error's message). Where this server deliberately differs, the model-serving README's
 * compatibility table says so, and the case here asserts this server's answer.
 */
@ExtendWith(VertxExtension.class)
class TfServingCompatibilityTest {
  @TempDir
  static Path base;
  private static Served served;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    served = Served.start(vertx, ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(),
        "MODEL_VERSION_LABELS", "stable=1", "MODEL_POLL_SECONDS", "0"));
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      // Row format ("instances"): one prediction per instance; a lone output is its values.
      "POST | /v1/models/model:predict | {\"instances\": [212, 32, -40]} | 200 | {\"predictions\":[100.0,0.0,-40.0]}",
      "POST | /v1/models/model:predict | {\"instances\": [{\"fahrenheit\": 212}, {\"fahrenheit\": 32}]} | 200 | {\"predictions\":[100.0,0.0]}",
      "POST | /v1/models/model:predict | {\"signature_name\": \"serving_default\", \"instances\": [212]} | 200 | {\"predictions\":[100.0]}",
      // Columnar format ("inputs"): the output tensor as it is; named or not.
      "POST | /v1/models/model:predict | {\"inputs\": [212, 32]} | 200 | {\"outputs\":[100.0,0.0]}",
      "POST | /v1/models/model:predict | {\"inputs\": {\"fahrenheit\": [212]}} | 200 | {\"outputs\":[100.0]}",
      "POST | /v1/models/model:predict | {\"signature_name\": \"serving_default\", \"inputs\": [-40]} | 200 | {\"outputs\":[-40.0]}",
      // Versions and labels in the path; the path (not the method name) is matched case-insensitively.
      "POST | /v1/models/model/versions/1:predict | {\"instances\": [212]} | 200 | {\"predictions\":[100.0]}",
      "POST | /v1/models/model/labels/stable:predict | {\"instances\": [212]} | 200 | {\"predictions\":[100.0]}",
      "POST | /V1/MODELS/model/VERSIONS/1:predict | {\"instances\": [212]} | 200 | {\"predictions\":[100.0]}",
      // Text after the document is ignored (rapidjson's kParseStopWhenDoneFlag).
      "POST | /v1/models/model:predict | {\"inputs\": [212]} and more | 200 | {\"outputs\":[100.0]}",
      // Status, of the latest, a version, a label; "metadata" is compared as written, so /METADATA is a status request.
      "GET | /v1/models/model | - | 200 | {\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}",
      "GET | /v1/models/model/versions/1 | - | 200 | {\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}",
      "GET | /v1/models/model/labels/stable | - | 200 | {\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}",
      "GET | /v1/models/model/METADATA | - | 200 | {\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\",\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}",

      // Paths and methods no route of the handler parses (ProcessRequest, ParseModelInfo).
      "GET | /v1/models | - | 400 | Missing model name in request.",
      "GET | /v1/models/versions/1 | - | 400 | Missing model name in request.",
      "GET | /v1/models/versions/1/metadata | - | 400 | Missing model name in request.",
      "GET | /v1/models/ | - | 400 | Malformed request: GET /v1/models/",
      "GET | /v1/foo | - | 400 | Malformed request: GET /v1/foo",
      "POST | /v1/foo | {} | 400 | Malformed request: POST /v1/foo",
      "POST | /v1/models | {} | 400 | Malformed request: POST /v1/models",
      "GET | /v1/models/debug/model_name | - | 400 | Malformed request: GET /v1/models/debug/model_name",
      "GET | /v1/models/model:predict | - | 400 | Malformed request: GET /v1/models/model:predict",
      "GET | /v1/models/model/version/1:predict | - | 400 | Malformed request: GET /v1/models/model/version/1:predict",
      "POST | /v1/models/model/version/1:predict | {} | 400 | Malformed request: POST /v1/models/model/version/1:predict",
      "POST | /v1/models/model/versions/HELLO:predict | {} | 400 | Malformed request: POST /v1/models/model/versions/HELLO:predict",
      "GET | /v1/models/model/versions/HELLO | - | 400 | Malformed request: GET /v1/models/model/versions/HELLO",
      "POST | /v1/models/model/label/stable:predict | {} | 400 | Malformed request: POST /v1/models/model/label/stable:predict",
      "POST | /v1/models/model/metadata | {} | 400 | Malformed request: POST /v1/models/model/metadata",
      "POST | /v1/models/model:PREDICT | {\"inputs\": [1]} | 400 | Malformed request: POST /v1/models/model:PREDICT",
      "POST | /v1/models/model:Predict | {\"inputs\": [1]} | 400 | Malformed request: POST /v1/models/model:Predict",
      "POST | /v1/models/model:explain | {\"inputs\": [1]} | 400 | Malformed request: POST /v1/models/model:explain",
      "PUT | /v1/models/model:predict | {\"inputs\": [1]} | 400 | Malformed request: PUT /v1/models/model:predict",
      "DELETE | /v1/models/model | - | 400 | Malformed request: DELETE /v1/models/model",
      "PATCH | /v1/models/model/metadata | {} | 400 | Malformed request: PATCH /v1/models/model/metadata",
      "POST | /v1/models/model/versions/99999999999999999999:predict | {} | 400 | Failed to convert version: 99999999999999999999 to numeric.",
      "GET | /v1/models/model/versions/99999999999999999999 | - | 400 | Failed to convert version: 99999999999999999999 to numeric.",
      // Models, versions, labels, signatures that are not there.
      "POST | /v1/models/nope:predict | {\"inputs\": [1]} | 404 | Servable not found for request: Latest(nope)",
      "POST | /v1/models/model/versions/9:predict | {\"inputs\": [1]} | 404 | Servable not found for request: Specific(model, 9)",
      "POST | /v1/models/model/labels/canary:predict | {\"inputs\": [1]} | 400 | Unrecognized servable version label: canary",
      "GET | /v1/models/nope | - | 404 | Could not find any versions of model nope",
      "GET | /v1/models/model/versions/9 | - | 404 | Could not find version 9 of model model",
      "GET | /v1/models/nope/metadata | - | 404 | Servable not found for request: Latest(nope)",
      "POST | /v1/models/model:predict | {\"signature_name\": \"classify\", \"inputs\": [1]} | 400 | Serving signature name: \"classify\" not found in signature def",
      "POST | /v1/models/model:predict | {\"signature_name\": 100, \"inputs\": [1]} | 400 | JSON Value: {\"signature_name\":100,\"inputs\":[1]} not formatted correctly. 'signature_name' key must be a string value.",
      // Bodies (FillPredictRequestFromJson).
      // Malformed JSON: the parser's words and offset are Jackson's, not rapidjson's ("Invalid value.", README).
      "POST | /v1/models/model:predict | instances = [1, 2] | 400 | JSON Parse error: Unrecognized token 'instances': was expecting (JSON String, Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false') at offset: 10",
      "POST | /v1/models/model:predict | - | 400 | JSON Parse error: The document is empty",
      "POST | /v1/models/model:predict | [212] | 400 | JSON Value: [212] Is not object",
      "POST | /v1/models/model:predict | {} | 400 | Missing 'inputs' or 'instances' key",
      "POST | /v1/models/model:predict | {\"instances\": [1], \"inputs\": [1]} | 400 | `JSON Value: {\"instances\":[1],\"inputs\":[1]} Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist `",
      "POST | /v1/models/model:predict | {\"instances\": 212} | 400 | JSON Value: {\"instances\":212} Expecting 'instances' to be an list/array",
      "POST | /v1/models/model:predict | {\"instances\": []} | 400 | JSON Value: {\"instances\":[]} No values in 'instances' array",
      "POST | /v1/models/model:predict | {\"instances\": [\"212\"]} | 400 | Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: \"212\" Type: String is not of expected type: float",
      "POST | /v1/models/model:predict | {\"inputs\": [true]} | 400 | JSON Value: true Type: True is not of expected type: float",
      // Base64 data ({"b64": ...}) is a value, of a string tensor: for a float input, a value of the wrong type.
      "POST | /v1/models/model:predict | {\"instances\": [{\"b64\": \"AAAA\"}]} | 400 | Failed to process element: 0 of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: {\"b64\":\"AAAA\"} Type: Object is not of expected type: float",
      "POST | /v1/models/model:predict | {\"instances\": [{\"fahrenheit\": {\"b64\": \"AAAA\"}}]} | 400 | Failed to process element: 0 key: fahrenheit of 'instances' list. Error: INVALID_ARGUMENT: JSON Value: {\"b64\":\"AAAA\"} Type: Object is not of expected type: float",
      "POST | /v1/models/model:predict | {\"inputs\": {\"b64\": \"AAAA\"}} | 400 | JSON Value: {\"b64\":\"AAAA\"} Type: Object is not of expected type: float",
      "POST | /v1/models/model:predict | {\"inputs\": [{\"b64\": \"AAAA\"}]} | 400 | JSON Value: {\"b64\":\"AAAA\"} Type: Object is not of expected type: float",
      "POST | /v1/models/model:predict | {\"instances\": [{\"celsius\": 1}]} | 400 | Failed to process element: 0 key: celsius of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does not have named input: celsius",
      "POST | /v1/models/model:predict | {\"instances\": [{\"fahrenheit\": 1}, 2]} | 400 | Expecting object but got list at item 1 of input list",
      "POST | /v1/models/model:predict | {\"instances\": [1, {\"fahrenheit\": 2}]} | 400 | Expecting value/list but got object at item 1 of input list",
      "POST | /v1/models/model:predict | {\"inputs\": {\"celsius\": [1]}} | 400 | Missing named input: fahrenheit in 'inputs' object.",
      "POST | /v1/models/model:predict | {\"inputs\": [[1, 2], [3]]} | 400 | Encountered list at unexpected size: 1 at level: 1 expected size: 2",
      "POST | /v1/models/model:predict | {\"inputs\": [1, [2]]} | 400 | Encountered list at unexpected level: 1 expected < 1",
      "POST | /v1/models/model:predict | {\"instances\": [1, [2]]} | 400 | Failed to process element: 1 of 'instances' list. Error: INVALID_ARGUMENT: Expecting shape [] but got: [1]",
      // Classify and regress (FillClassifyRegressRequestFromJson, then the signature's method): this
      // model's signatures are predict signatures, as on TensorFlow Serving.
      "POST | /v1/models/model:classify | {\"examples\": [{\"fahrenheit\": 212.0}]} | 400 | Expected classification signature method_name to be tensorflow/serving/classify. Was: tensorflow/serving/predict",
      "POST | /v1/models/model/versions/1:regress | {\"examples\": [{\"fahrenheit\": [212.0, 32]}]} | 400 | Expected regression signature method_name to be tensorflow/serving/regress. Was: tensorflow/serving/predict",
      "POST | /v1/models/model:classify | {\"signature_name\": \"other\", \"examples\": [{}]} | 400 | Serving signature name: \"other\" not found in signature def",
      "POST | /v1/models/nope:classify | {\"examples\": [{}]} | 404 | Servable not found for request: Latest(nope)",
      "POST | /v1/models/nope:regress | {} | 400 | JSON Value: {} When method is classify, key 'examples' is expected and was not found",
      "POST | /v1/models/model:classify | {\"examples\": {}} | 400 | JSON Value: {\"examples\":{}} Expecting 'examples' value to be an list/array",
      "POST | /v1/models/model:classify | {\"examples\": []} | 400 | JSON Value: {\"examples\":[]} 'examples' value is an empty array",
      "POST | /v1/models/model:classify | {\"examples\": [212]} | 400 | Example must be JSON object but got JSON Number",
      "POST | /v1/models/model:classify | {\"context\": [], \"examples\": [{}]} | 400 | Example must be JSON object but got JSON Array",
      "POST | /v1/models/model:classify | {\"examples\": [{\"f\": [[1]]}]} | 400 | Feature: f has element with unexpected JSON type: Array",
      "POST | /v1/models/model:regress | {\"examples\": [{\"f\": null}]} | 400 | Feature: f has element with unexpected JSON type: Null",
      "POST | /v1/models/model:regress | {\"signature_name\": 1, \"examples\": [{}]} | 400 | JSON Value: {\"signature_name\":1,\"examples\":[{}]} not formatted correctly. 'signature_name' key must be a string value.",
      "POST | /v1/models/model:classify | [] | 400 | JSON Value: [] Is not object",
  })
  void answersAsTensorFlowServingDoes(String method, String path, String body, int status, String answer) {
    HttpResponse<Buffer> response = send(method, path, body);
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    // A 200's whole document; an error's whole message, in TensorFlow Serving's {"error": ...}.
    assertThat(response.bodyAsJsonObject()).isEqualTo(status == 200 ? new JsonObject(answer) : new JsonObject().put("error", answer));
  }

  @Test
  void metadataOfTheLatestAVersionAndALabelIsTheSignatureDef() {
    for (String path : new String[] {"/v1/models/model/metadata", "/v1/models/model/versions/1/metadata",
        "/v1/models/model/labels/stable/metadata"}) {
      JsonObject metadata = send("GET", path, "-").bodyAsJsonObject();
      assertThat(metadata.getJsonObject("model_spec").getString("name")).as(path).isEqualTo("model");
      assertThat(metadata.getJsonObject("model_spec").getString("version")).as(path).isEqualTo("1");
      assertThat(metadata.getJsonObject("metadata").getJsonObject("signature_def").getJsonObject("signature_def")
          .getJsonObject("serving_default").getString("method_name")).as(path).isEqualTo("tensorflow/serving/predict");
    }
  }

  @Test
  void jsonNestedPastTheLimitIsA400AtTheOffsetOfTheBracketThatCrossedIt() {
    // TensorFlow Serving parses iteratively and takes any depth; here 1,000 levels (README), even
    // under a key nobody reads, and the message says where the limit was crossed.
    String prefix = "{\"ignored\": ";
    String body = prefix + "[".repeat(1000) + "]".repeat(1000) + ", \"inputs\": [212]}";
    int crossing = prefix.length() + 999;  // the root object is level 1: the 1,000th bracket is level 1,001
    HttpResponse<Buffer> response = send("POST", "/v1/models/model:predict", body);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error"))
        .isEqualTo("JSON Parse error: nesting deeper than 1000 levels (a limit of this server) at offset: " + crossing);
    String fits = prefix + "[".repeat(998) + "]".repeat(998) + ", \"inputs\": [212]}";
    assertThat(send("POST", "/v1/models/model:predict", fits).bodyAsJsonObject()).isEqualTo(new JsonObject("{\"outputs\":[100.0]}"));
  }

  @Test
  void headOnAStatusRouteIsAnsweredAsGetAndOnPredictIsMalformed() throws java.io.IOException {
    // RFC 9110 on GET routes (TensorFlow Serving: "Malformed request: HEAD ..."; README).
    dev.footprint.core.testing.HttpAssertions.assertHeadLikeGet(served.port(), "/v1/models/model", true);
    assertThat(send("HEAD", "/v1/models/model:predict", "-").statusCode()).isEqualTo(400);
  }

  private static HttpResponse<Buffer> send(String method, String path, String body) {
    var request = served.client().raw().request(HttpMethod.valueOf(method), path);
    return "-".equals(body) ? request.send().await() : request.sendBuffer(Buffer.buffer(body)).await();
  }
}
