package dev.footprint.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import dev.footprint.model.grpc.GrpcListener;
import dev.footprint.model.grpc.wire.inference.InferTensorContents;
import dev.footprint.model.grpc.wire.inference.ModelInferRequest;
import dev.footprint.model.grpc.wire.inference.ModelInferResponse;
import dev.footprint.model.grpc.wire.inference.ModelMetadataRequest;
import dev.footprint.model.grpc.wire.inference.ModelMetadataResponse;
import dev.footprint.model.grpc.wire.inference.ModelReadyRequest;
import dev.footprint.model.grpc.wire.inference.ModelReadyResponse;
import dev.footprint.model.grpc.wire.inference.ServerLiveRequest;
import dev.footprint.model.grpc.wire.inference.ServerLiveResponse;
import dev.footprint.model.grpc.wire.inference.ServerMetadataRequest;
import dev.footprint.model.grpc.wire.inference.ServerMetadataResponse;
import dev.footprint.model.grpc.wire.inference.ServerReadyRequest;
import dev.footprint.model.grpc.wire.inference.ServerReadyResponse;
import dev.footprint.model.grpc.wire.serving.ClassificationRequest;
import dev.footprint.model.grpc.wire.serving.ClassificationResponse;
import dev.footprint.model.grpc.wire.serving.GetModelMetadataRequest;
import dev.footprint.model.grpc.wire.serving.GetModelMetadataResponse;
import dev.footprint.model.grpc.wire.serving.GetModelStatusRequest;
import dev.footprint.model.grpc.wire.serving.GetModelStatusResponse;
import dev.footprint.model.grpc.wire.serving.ModelSpec;
import dev.footprint.model.grpc.wire.serving.ModelVersionStatus;
import dev.footprint.model.grpc.wire.serving.PredictRequest;
import dev.footprint.model.grpc.wire.serving.PredictResponse;
import dev.footprint.model.grpc.wire.serving.SignatureDefMap;
import dev.footprint.model.grpc.wire.tensorflow.DataType;
import dev.footprint.model.grpc.wire.tensorflow.SignatureDef;
import dev.footprint.model.grpc.wire.tensorflow.TensorProto;
import dev.footprint.model.grpc.wire.tensorflow.TensorShapeProto;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthListRequest;
import io.vertx.grpc.health.v1.HealthListResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

import static dev.footprint.model.TestModels.celsius;
import static org.assertj.core.api.Assertions.assertThat;

/** The gRPC APIs against the real server on a free port: TensorFlow Serving's, KServe V2's, health; answers checked value by value. */
@ExtendWith(VertxExtension.class)
class GrpcApiTest {
  private static final String PREDICTION = "tensorflow.serving.PredictionService";
  private static final String MODELS = "tensorflow.serving.ModelService";
  private static final String V2 = "inference.GRPCInferenceService";

  @TempDir
  static Path base;
  private static TestServer server;
  private static GrpcTestClient grpc;
  private static TestClient http;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    // A 1500x1500 matrix product per call (3.4 GFLOP): no CPU answers it within a 1 ms deadline.
    TestModels.slowIdentity(base, "slow", 1, 1500);
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "model,slow",
        "MODEL_VERSION_LABELS", "model:stable=1", "MODEL_POLL_SECONDS", "0", "GRPC_MAX_MESSAGE_BYTES", "65536"));
    grpc = new GrpcTestClient(vertx, server.running().port(GrpcListener.NAME));
    http = new TestClient(vertx, server.port());
  }

  @AfterAll
  static void stop() {
    grpc.close();
    http.close();
    server.close();
  }

  private static ModelSpec model() {
    return ModelSpec.newBuilder().setName("model").build();
  }

  private static TensorProto floats(float... values) {
    TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(values.length)));
    for (float value : values) {
      tensor.addFloatVal(value);
    }
    return tensor.build();
  }

  private static ByteString littleEndian(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return ByteString.copyFrom(bytes.array());
  }

  private static float[] fromLittleEndian(ByteString bytes) {
    float[] values = new float[bytes.size() / 4];
    bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static GrpcTestClient.Reply<PredictResponse> predict(PredictRequest request) {
    return grpc.call(PREDICTION, "Predict", request, PredictResponse.parser());
  }

  @Test
  void predictWithFloatValAnswersEveryValueInFloatValWithTheModelSpec() {
    float[] values = PredictApiTest.VALUES;
    var reply = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", floats(values)).build());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    PredictResponse response = reply.body();
    assertThat(response.getModelSpec().getName()).isEqualTo("model");
    assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(1);
    assertThat(response.getModelSpec().getSignatureName()).isEqualTo("serving_default");
    assertThat(response.getOutputsMap()).containsOnlyKeys("celsius");
    TensorProto celsius = response.getOutputsOrThrow("celsius");
    assertThat(celsius.getDtype()).isEqualTo(DataType.DT_FLOAT);
    assertThat(celsius.getTensorShape().getDimList()).extracting(TensorShapeProto.Dim::getSize).containsExactly((long) values.length);
    assertThat(celsius.getTensorContent().isEmpty()).isTrue();
    for (int i = 0; i < values.length; i++) {
      assertThat(celsius.getFloatVal(i)).as("celsius of %s", values[i]).isEqualTo(celsius(values[i]));
    }
  }

  @Test
  void predictWithTensorContentAnswersInTensorContent() {
    TensorProto packed = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(3)))
        .setTensorContent(littleEndian(212f, 32f, -40f)).build();
    var reply = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", packed).build());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    TensorProto celsius = reply.body().getOutputsOrThrow("celsius");
    assertThat(celsius.getFloatValCount()).isZero();
    assertThat(fromLittleEndian(celsius.getTensorContent())).containsExactly(100f, 0f, -40f);
  }

  @Test
  void oneFloatValFillsTheWholeShapeAsTensorFlowReadsIt() {
    TensorProto one = floats(212f).toBuilder()
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(4))).build();
    var reply = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", one).build());
    assertThat(reply.body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f, 100f, 100f, 100f);
  }

  @Test
  void aVersionOrALabelChoosesTheVersion() {
    var byNumber = predict(PredictRequest.newBuilder().setModelSpec(model().toBuilder().setVersion(Int64Value.of(1)))
        .putInputs("fahrenheit", floats(212f)).build());
    assertThat(byNumber.body().getModelSpec().getVersion().getValue()).isEqualTo(1);
    var byLabel = predict(PredictRequest.newBuilder().setModelSpec(model().toBuilder().setVersionLabel("stable"))
        .putInputs("fahrenheit", floats(212f)).build());
    assertThat(byLabel.body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f);
    var missing = predict(PredictRequest.newBuilder().setModelSpec(model().toBuilder().setVersion(Int64Value.of(7)))
        .putInputs("fahrenheit", floats(212f)).build());
    assertThat(missing.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(missing.message()).isEqualTo("Servable not found for request: Specific(model, 7)");
  }

  @Test
  void badPredictRequestsGetTensorFlowServingsStatusAndMessage() {
    var unknown = predict(PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("nope"))
        .putInputs("fahrenheit", floats(1f)).build());
    assertThat(unknown.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(unknown.message()).isEqualTo("Servable not found for request: Latest(nope)");

    var noSpec = predict(PredictRequest.newBuilder().putInputs("fahrenheit", floats(1f)).build());
    assertThat(noSpec.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(noSpec.message()).isEqualTo("Missing ModelSpec");

    var doubles = predict(PredictRequest.newBuilder().setModelSpec(model())
        .putInputs("fahrenheit", TensorProto.newBuilder().setDtype(DataType.DT_DOUBLE).addDoubleVal(1).build()).build());
    assertThat(doubles.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(doubles.message()).isEqualTo("Expects arg[0] to be float but double is provided");

    var wrongName = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("kelvin", floats(1f)).build());
    assertThat(wrongName.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(wrongName.message()).isEqualTo("input size does not match signature: 1!=1 len({kelvin}) != len({fahrenheit})."
        + " Sent extra: {kelvin}. Missing but required: {fahrenheit}.");

    var signature = predict(PredictRequest.newBuilder().setModelSpec(model().toBuilder().setSignatureName("other"))
        .putInputs("fahrenheit", floats(1f)).build());
    assertThat(signature.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(signature.message()).isEqualTo("Serving signature name: \"other\" not found in signature def");

    var tooManyValues = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit",
        floats(1f, 2f, 3f).toBuilder().setTensorShape(TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(2))).build()).build());
    assertThat(tooManyValues.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(tooManyValues.message()).isEqualTo("tensor parsing error: fahrenheit");

    var filter = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", floats(1f))
        .addOutputFilter("kelvin").build());
    assertThat(filter.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(filter.message()).isEqualTo("output tensor alias not found in signature: kelvin Outputs expected to be in the set {celsius}.");
  }

  @Test
  void aMessageThatIsNotProtobufIsInvalidAndTheServerGoesOn() {
    var garbage = grpc.call(PREDICTION, "Predict", new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, PredictResponse.parser(), 0);
    assertThat(garbage.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(garbage.message()).startsWith("the request is not a valid message for tensorflow.serving.PredictionService/Predict");
    assertThat(predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", floats(212f)).build())
        .body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f);
  }

  @Test
  void aMessageOverTheLimitIsResourceExhausted() {
    TensorProto big = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
        .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(20_000)))
        .setTensorContent(ByteString.copyFrom(new byte[80_000])).build();
    var reply = predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", big).build());
    assertThat(reply.status()).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
  }

  @Test
  void aCallPastItsDeadlineIsDeadlineExceededAndTheServerGoesOn() {
    PredictRequest slow = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("slow"))
        .putInputs("x", floats(1f, 2f)).build();
    // The client only sends grpc-timeout (Vert.x's client does not enforce it): the answer is the server's.
    var late = grpc.call(PREDICTION, "Predict", slow.toByteArray(), PredictResponse.parser(), 1);
    assertThat(late.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED);
    var inTime = grpc.call(PREDICTION, "Predict", slow.toByteArray(), PredictResponse.parser(), 30_000);
    assertThat(inTime.status()).isEqualTo(GrpcStatus.OK);
    assertThat(inTime.body().getOutputsOrThrow("y").getFloatValList()).containsExactly(1f, 2f);
  }

  @Test
  void metadataIsTheSavedModelsSignatureDefsInAnAny() throws Exception {
    var reply = grpc.call(PREDICTION, "GetModelMetadata", GetModelMetadataRequest.newBuilder().setModelSpec(model())
        .addMetadataField("signature_def").build(), GetModelMetadataResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getModelSpec().getVersion().getValue()).isEqualTo(1);
    var any = reply.body().getMetadataOrThrow("signature_def");
    assertThat(any.getTypeUrl()).isEqualTo("type.googleapis.com/tensorflow.serving.SignatureDefMap");
    SignatureDef signature = any.unpack(SignatureDefMap.class).getSignatureDefOrThrow("serving_default");
    assertThat(signature.getMethodName()).isEqualTo("tensorflow/serving/predict");
    assertThat(signature.getInputsOrThrow("fahrenheit").getDtype()).isEqualTo(DataType.DT_FLOAT);
    assertThat(signature.getInputsOrThrow("fahrenheit").getTensorShape().getDim(0).getSize()).isEqualTo(-1);
    assertThat(signature.getOutputsMap()).containsOnlyKeys("celsius");

    var noField = grpc.call(PREDICTION, "GetModelMetadata", GetModelMetadataRequest.newBuilder().setModelSpec(model()).build(),
        GetModelMetadataResponse.parser());
    assertThat(noField.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(noField.message()).isEqualTo("GetModelMetadataRequest must specify at least one metadata_field");
  }

  @Test
  void statusListsTheVersionsAndTheirStates() {
    var reply = grpc.call(MODELS, "GetModelStatus", GetModelStatusRequest.newBuilder().setModelSpec(model()).build(),
        GetModelStatusResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getModelVersionStatusList()).hasSize(1);
    ModelVersionStatus status = reply.body().getModelVersionStatus(0);
    assertThat(status.getVersion()).isEqualTo(1);
    assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
    assertThat(status.getStatus().getErrorCode()).isZero();
    var unknown = grpc.call(MODELS, "GetModelStatus", GetModelStatusRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("nope")).build(), GetModelStatusResponse.parser());
    assertThat(unknown.status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void classifyOnAPredictSignatureIsInvalidAsInTensorFlowServing() {
    var reply = grpc.call(PREDICTION, "Classify", ClassificationRequest.newBuilder().setModelSpec(model()).build(),
        ClassificationResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(reply.message()).isEqualTo("Expected classification signature method_name to be tensorflow/serving/classify."
        + " Was: tensorflow/serving/predict");
  }

  @Test
  void aMethodNotServedIsUnimplemented() {
    var reply = grpc.call(PREDICTION, "MultiInference", new byte[0], PredictResponse.parser(), 0);
    assertThat(reply.status()).isEqualTo(GrpcStatus.UNIMPLEMENTED);
  }

  @Test
  void openInferenceHealthAndMetadata() {
    assertThat(grpc.call(V2, "ServerLive", ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.parser()).body().getLive()).isTrue();
    assertThat(grpc.call(V2, "ServerReady", ServerReadyRequest.getDefaultInstance(), ServerReadyResponse.parser()).body().getReady()).isTrue();
    assertThat(grpc.call(V2, "ModelReady", ModelReadyRequest.newBuilder().setName("model").build(), ModelReadyResponse.parser())
        .body().getReady()).isTrue();
    assertThat(grpc.call(V2, "ModelReady", ModelReadyRequest.newBuilder().setName("model").setVersion("2").build(),
        ModelReadyResponse.parser()).body().getReady()).isFalse();
    assertThat(grpc.call(V2, "ModelReady", ModelReadyRequest.newBuilder().setName("nope").build(), ModelReadyResponse.parser())
        .body().getReady()).isFalse();
    ServerMetadataResponse server = grpc.call(V2, "ServerMetadata", ServerMetadataRequest.getDefaultInstance(),
        ServerMetadataResponse.parser()).body();
    assertThat(server.getName()).isEqualTo("model-serving");
    assertThat(server.getExtensionsList()).contains("binary_tensor_data");
    ModelMetadataResponse model = grpc.call(V2, "ModelMetadata", ModelMetadataRequest.newBuilder().setName("model").build(),
        ModelMetadataResponse.parser()).body();
    assertThat(model.getVersionsList()).containsExactly("1");
    assertThat(model.getPlatform()).isEqualTo("tensorflow_savedmodel");
    assertThat(model.getInputs(0).getName()).isEqualTo("fahrenheit");
    assertThat(model.getInputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(model.getInputs(0).getShapeList()).containsExactly(-1L);
    assertThat(model.getOutputs(0).getName()).isEqualTo("celsius");
  }

  @Test
  void modelInferWithTypedContentsAnswersTypedContents() {
    var reply = grpc.call(V2, "ModelInfer", ModelInferRequest.newBuilder().setModelName("model").setId("req-1")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("fahrenheit").setDatatype("FP32").addShape(3)
            .setContents(InferTensorContents.newBuilder().addFp32Contents(212f).addFp32Contents(32f).addFp32Contents(98.6f)))
        .build(), ModelInferResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    ModelInferResponse response = reply.body();
    assertThat(response.getModelName()).isEqualTo("model");
    assertThat(response.getModelVersion()).isEqualTo("1");
    assertThat(response.getId()).isEqualTo("req-1");
    assertThat(response.getRawOutputContentsCount()).isZero();
    assertThat(response.getOutputs(0).getName()).isEqualTo("celsius");
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo("FP32");
    assertThat(response.getOutputs(0).getShapeList()).containsExactly(3L);
    assertThat(response.getOutputs(0).getContents().getFp32ContentsList()).containsExactly(100f, 0f, celsius(98.6f));
  }

  @Test
  void modelInferWithRawContentsAnswersRawContents() {
    var reply = grpc.call(V2, "ModelInfer", ModelInferRequest.newBuilder().setModelName("model").setModelVersion("1")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("fahrenheit").setDatatype("FP32").addShape(2))
        .addRawInputContents(littleEndian(212f, -40f))
        .build(), ModelInferResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getOutputs(0).hasContents()).isFalse();
    assertThat(fromLittleEndian(reply.body().getRawOutputContents(0))).containsExactly(100f, -40f);
  }

  @Test
  void badModelInferRequestsSayWhatIsWrong() {
    var wrongType = grpc.call(V2, "ModelInfer", ModelInferRequest.newBuilder().setModelName("model")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("fahrenheit").setDatatype("INT64").addShape(1)
            .setContents(InferTensorContents.newBuilder().addInt64Contents(1)))
        .build(), ModelInferResponse.parser());
    assertThat(wrongType.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(wrongType.message()).isEqualTo("input 'fahrenheit' has datatype \"INT64\"; the model expects FP32");
    var shortRaw = grpc.call(V2, "ModelInfer", ModelInferRequest.newBuilder().setModelName("model")
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("fahrenheit").setDatatype("FP32").addShape(2))
        .addRawInputContents(littleEndian(212f))
        .build(), ModelInferResponse.parser());
    assertThat(shortRaw.status()).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
    assertThat(shortRaw.message()).isEqualTo("input 'fahrenheit': raw_input_contents has 4 bytes; shape [2] of FP32 needs 8");
    var unknown = grpc.call(V2, "ModelInfer", ModelInferRequest.newBuilder().setModelName("nope").build(), ModelInferResponse.parser());
    assertThat(unknown.status()).isEqualTo(GrpcStatus.NOT_FOUND);
  }

  @Test
  void healthIsServingWhileReady() {
    var reply = grpc.call("grpc.health.v1.Health", "Check", HealthCheckRequest.newBuilder().setService("").build(),
        HealthCheckResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    var service = grpc.call("grpc.health.v1.Health", "Check", HealthCheckRequest.newBuilder().setService(PREDICTION).build(),
        HealthCheckResponse.parser());
    assertThat(service.body().getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    var unknown = grpc.call("grpc.health.v1.Health", "Check", HealthCheckRequest.newBuilder().setService("nope.Service").build(),
        HealthCheckResponse.parser());
    assertThat(unknown.status()).isEqualTo(GrpcStatus.NOT_FOUND);
    assertThat(unknown.message()).isEqualTo("unknown service");
    var list = grpc.call("grpc.health.v1.Health", "List", HealthListRequest.getDefaultInstance(), HealthListResponse.parser());
    assertThat(list.status()).isEqualTo(GrpcStatus.OK);
    assertThat(list.body().getStatusesMap()).containsOnlyKeys("", PREDICTION, MODELS, V2, "grpc.health.v1.Health");
    assertThat(list.body().getStatusesMap().values()).allSatisfy(status ->
        assertThat(status.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING));
  }

  @Test
  void callsAreCountedPerMethodAndStatus() {
    predict(PredictRequest.newBuilder().setModelSpec(model()).putInputs("fahrenheit", floats(1f)).build());
    predict(PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("nope")).putInputs("fahrenheit", floats(1f)).build());
    String metrics = http.get("/metrics").bodyAsString();
    assertThat(metrics).containsPattern("footprint_grpc_server_calls_seconds_count\\{[^}]*grpc_code=\"OK\",grpc_method=\"Predict\","
        + "grpc_service=\"tensorflow.serving.PredictionService\"[^}]*} [1-9]");
    assertThat(metrics).containsPattern("footprint_grpc_server_calls_seconds_count\\{[^}]*grpc_code=\"NOT_FOUND\",grpc_method=\"Predict\"");
    assertThat(metrics).contains("footprint_grpc_server_calls_seconds_bucket{");
  }
}
