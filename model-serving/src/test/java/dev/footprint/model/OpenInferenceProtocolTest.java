package dev.footprint.model;

import dev.footprint.core.testing.Served;
import dev.footprint.core.testing.TestClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static dev.footprint.core.testing.HttpAssertions.assertError;
import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static dev.footprint.model.TestModels.celsius;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Open Inference Protocol (KServe V2) where clients meet its corners: the binary tensor data
 * extension (Triton's {@code extension_binary_data.md}) for inputs and outputs with every size
 * inconsistency a 400, answers that are always valid JSON (RFC 8259) even for non-finite values,
 * and versions as strings.
 */
@ExtendWith(VertxExtension.class)
class OpenInferenceProtocolTest {
  private static final String INFER = "/v2/models/model/infer";
  private static final String LENGTH = "Inference-Header-Content-Length";
  private static final int MAX_VALUES = 1000;
  private static final int MAX_BODY = 16384;
  /** Every float32 edge, and the non-finite values only the binary form carries as numbers. */
  private static final float[] VALUES = {212f, 32f, -40f, 98.6f, -0f, 1.4e-45f, 3.4028235e38f, -3.4028235e38f,
      1f / 3, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

  @TempDir
  static Path base;
  private static Served served;
  private static TestClient client;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    served = Served.start(vertx, ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_POLL_SECONDS", "0",
        "MAX_TENSOR_VALUES", Integer.toString(MAX_VALUES), "MAX_INSTANCES", "500", "MAX_BODY_BYTES", Integer.toString(MAX_BODY)));
    client = served.client();
  }

  @AfterAll
  static void stop() {
    served.close();
  }

  @AfterEach
  void stillServes() {
    assertThat(assertOkJson(client.post(INFER, input("[1]", "\"data\": [212]"))).getJsonArray("outputs").getJsonObject(0)
        .getJsonArray("data").getFloat(0)).isEqualTo(100f);
  }

  @Test
  void theServerAnnouncesTheBinaryExtension() {
    assertThat(assertOkJson(client.get("/v2")).getJsonArray("extensions")).containsExactly("binary_tensor_data");
  }

  @Test
  void binaryInputsAndOutputsCarryEveryValueExactly() {
    String header = "{\"id\": \"b\", \"inputs\": [{\"name\": \"fahrenheit\", \"shape\": [" + VALUES.length + "], \"datatype\": \"FP32\","
        + " \"parameters\": {\"binary_data_size\": " + 4 * VALUES.length + "}}], \"parameters\": {\"binary_data_output\": true}}";
    HttpResponse<Buffer> response = postBinary(header, floats(VALUES));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    int length = Integer.parseInt(response.getHeader(LENGTH));
    JsonObject json = strictJson(response.body().getBuffer(0, length));
    assertThat(json.encode()).isEqualTo("{\"model_name\":\"model\",\"model_version\":\"1\",\"id\":\"b\",\"outputs\":[{\"name\":\"celsius\","
        + "\"datatype\":\"FP32\",\"shape\":[" + VALUES.length + "],\"parameters\":{\"binary_data_size\":" + 4 * VALUES.length + "}}]}");
    assertThat(response.body().length()).isEqualTo(length + 4 * VALUES.length);
    float[] celsius = readFloats(response.body(), length, VALUES.length);
    for (int i = 0; i < VALUES.length; i++) {
      // Compared as bits (any NaN as the one NaN): -0.0 is not 0.0 and NaN is NaN.
      assertThat(Float.floatToIntBits(celsius[i])).as("celsius of %s", VALUES[i]).isEqualTo(Float.floatToIntBits(celsius(VALUES[i])));
    }
  }

  @Test
  void binaryInputsWithJsonOutputsAndJsonInputsWithBinaryOutputs() {
    float[] in = {212f, -40f, 98.6f};
    String header = "{\"inputs\": [{\"name\": \"fahrenheit\", \"shape\": [3], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 12}}],"
        + " \"outputs\": [{\"name\": \"celsius\", \"parameters\": {\"binary_data\": false}}], \"parameters\": {\"binary_data_output\": true}}";
    JsonObject answer = assertOkJson(postBinary(header, floats(in)));
    assertThat(answer.getJsonArray("outputs").getJsonObject(0).getJsonArray("data"))
        .isEqualTo(new JsonArray().add(100.0).add(-40.0).add((double) celsius(98.6f)));

    // No binary input, so no Inference-Header-Content-Length in the request; the output asked for in binary.
    HttpResponse<Buffer> response = client.post(INFER, "{\"inputs\": [{\"name\": \"fahrenheit\", \"shape\": [3], \"datatype\": \"FP32\","
        + " \"data\": [212, -40, 98.6]}], \"outputs\": [{\"name\": \"celsius\", \"parameters\": {\"binary_data\": true}}]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    int length = Integer.parseInt(response.getHeader(LENGTH));
    assertThat(strictJson(response.body().getBuffer(0, length)).getJsonArray("outputs").getJsonObject(0)
        .getJsonObject("parameters").getLong("binary_data_size")).isEqualTo(12);
    assertThat(readFloats(response.body(), length, 3)).containsExactly(100f, -40f, celsius(98.6f));
  }

  @Test
  void aRawBinaryRequestIsTheModelsOneInput() {
    HttpResponse<Buffer> response = postBinary("", floats(new float[] {212f, 32f}));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    int length = Integer.parseInt(response.getHeader(LENGTH));
    assertThat(strictJson(response.body().getBuffer(0, length)).getJsonArray("outputs").getJsonObject(0).getJsonArray("shape"))
        .containsExactly(2);
    assertThat(readFloats(response.body(), length, 2)).containsExactly(100f, 0f);
    assertError(postBinary("", new byte[6]), 400, "a raw binary request of 6 bytes does not fill input 'fahrenheit' of shape [-1]");
  }

  @Test
  void inconsistentBinaryRequestsAreClear400s() {
    String binaryInput = input("[2]", "\"parameters\": {\"binary_data_size\": 8}");
    byte[] two = floats(new float[] {1f, 2f});
    // A header length past the end of the body, or not a number.
    HttpResponse<Buffer> past = send(Buffer.buffer(binaryInput), "100000");
    assertError(past, 400, "Inference-Header-Content-Length is 100000 bytes, past the end of the body (" + binaryInput.length() + " bytes)");
    assertError(send(Buffer.buffer(binaryInput), "12ab"), 400, "Inference-Header-Content-Length must be a number of bytes, got \"12ab\"");
    // A header length that cuts the JSON short.
    assertError(send(Buffer.buffer(binaryInput).appendBytes(two), Integer.toString(binaryInput.length() - 2)), 400, "JSON Parse error");
    // binary_data_size that does not match the shape, that goes past the body, that leaves bytes over.
    assertError(postBinary(input("[3]", "\"parameters\": {\"binary_data_size\": 8}"), two), 400,
        "input 'fahrenheit': binary_data_size is 8 bytes; shape [3] of FP32 needs 12");
    assertError(postBinary(binaryInput, new byte[6]), 400,
        "input 'fahrenheit': binary_data_size 8 goes past the end of the body: 6 bytes of binary data are left");
    assertError(postBinary(binaryInput, new byte[12]), 400,
        "the body has 12 bytes after the Inference-Header-Content-Length of " + binaryInput.length()
            + "; the inputs' binary_data_size account for 8");
    // binary_data_size without the header, with data too, or not a size.
    assertError(client.post(INFER, binaryInput), 400, "has binary_data_size but the request has no Inference-Header-Content-Length");
    assertError(postBinary(input("[2]", "\"data\": [1, 2], \"parameters\": {\"binary_data_size\": 8}"), two), 400,
        "has both \"data\" and parameters.binary_data_size");
    assertError(postBinary(input("[2]", "\"parameters\": {\"binary_data_size\": \"8\"}"), two), 400,
        "binary_data_size must be a number of bytes, got \"8\"");
    assertError(client.post(INFER, input("[2]", "\"data\": [1, 2]").replace("]}", "], \"parameters\": {\"binary_data_output\": 1}}")), 400,
        "the request: parameter binary_data_output must be true or false, got 1");
    assertError(postBinary(binaryInput.replace("FP32", "FP64"), two), 400, "has datatype \"FP64\"; the model expects FP32");
  }

  @Test
  void binaryRequestsKeepTheLimits() {
    // More values than MAX_TENSOR_VALUES: 413 before a byte of them is read into a tensor.
    int over = MAX_VALUES + 1;
    assertError(postBinary(input("[" + over + "]", "\"parameters\": {\"binary_data_size\": " + 4 * over + "}"), new byte[4 * over]),
        413, "input 'fahrenheit' has 1001 values; the limit is 1000");
    // A shape whose product wraps around a long is over the limit too, in binary or JSON.
    String wraps = "[1, 65536, 65536, 65536, 65536]";
    assertError(postBinary(input(wraps, "\"parameters\": {\"binary_data_size\": 0}"), new byte[0]), 413, "the limit is 1000");
    assertError(client.post(INFER, input(wraps, "\"data\": []")), 413, "the limit is 1000");
    // More rows than MAX_INSTANCES.
    assertError(postBinary(input("[501]", "\"parameters\": {\"binary_data_size\": 2004}"), new byte[2004]), 413,
        "the request has 501 instances; the limit is 500 (MAX_INSTANCES)");
    // A body over MAX_BODY_BYTES, header and binary data together.
    assertError(postBinary(input("[800]", "\"parameters\": {\"binary_data_size\": 3200}"), new byte[MAX_BODY]), 413, "too large");
  }

  @Test
  void jsonAnswersAreValidJsonWithNonFiniteValuesAsStrings() {
    // Bare tokens are still read (as TensorFlow Serving and Triton read them), and so are the strings the answers use.
    HttpResponse<Buffer> response = client.post(INFER, input("[5]", "\"data\": [NaN, Infinity, -Infinity, \"Infinity\", 212]"));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject answer = strictJson(response.body());
    assertThat(answer.getJsonArray("outputs").getJsonObject(0).getJsonArray("data"))
        .isEqualTo(new JsonArray().add("NaN").add("Infinity").add("-Infinity").add("Infinity").add(100.0));
    assertError(client.post(INFER, input("[1]", "\"data\": [\"nan\"]")), 400, "input 'fahrenheit': \"nan\" is not a number (FP32)");
    // TensorFlow Serving's REST API keeps its own bare tokens.
    assertThat(client.post("/v1/models/model:predict", "{\"inputs\": [NaN, Infinity]}").bodyAsString())
        .isEqualTo("{\"outputs\":[NaN,Infinity]}");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"v1", "01", "+1", "1.0", "latest", "9"})
  void aVersionThatIsNoneOfTheModelsIsNotFoundWhateverItsSpelling(String version) {
    String notFound = "Servable not found for request: Specific(model, " + version + ")";
    assertError(client.get("/v2/models/model/versions/" + version), 404, notFound);
    assertError(client.post("/v2/models/model/versions/" + version + "/infer", input("[1]", "\"data\": [1]")), 404, notFound);
    assertThat(client.get("/v2/models/model/versions/" + version + "/ready").statusCode()).isEqualTo(400);
    assertThat(assertOkJson(client.get("/v2/models/model/versions/1")).getString("name")).isEqualTo("model");
  }

  @Test
  void otherMethodsOnInferAreStill405() {
    assertError(client.send(HttpMethod.GET, INFER), 405, "not allowed");
  }

  /** An inference request with one fahrenheit input of {@code shape} and {@code rest} (its data or parameters). */
  private static String input(String shape, String rest) {
    return "{\"inputs\": [{\"name\": \"fahrenheit\", \"shape\": " + shape + ", \"datatype\": \"FP32\", " + rest + "}]}";
  }

  private static HttpResponse<Buffer> postBinary(String header, byte[] binary) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return send(Buffer.buffer(json).appendBytes(binary), Integer.toString(json.length));
  }

  private static HttpResponse<Buffer> send(Buffer body, String headerLength) {
    HttpRequest<Buffer> request = client.raw().request(HttpMethod.POST, INFER).putHeader("Content-Type", "application/octet-stream");
    return request.putHeader(LENGTH, headerLength).sendBuffer(body).await();
  }

  private static byte[] floats(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      bytes.putFloat(value);
    }
    return bytes.array();
  }

  private static float[] readFloats(Buffer body, int offset, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = body.getFloatLE(offset + 4 * i);
    }
    return values;
  }

  /** The text parsed as RFC 8259 JSON (Vert.x's parser, which refuses bare NaN and Infinity: checked here too). */
  private static JsonObject strictJson(Buffer text) {
    assertThatThrownBy(() -> new JsonObject("{\"a\": NaN}")).isInstanceOf(DecodeException.class);
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      throw new AssertionError("not valid JSON: " + text, e);
    }
  }
}
