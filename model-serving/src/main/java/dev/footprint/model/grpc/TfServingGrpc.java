package dev.footprint.model.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.footprint.model.ServingException;
import dev.footprint.model.api.ClassifyRegress;
import dev.footprint.model.api.InferenceSubmitter;
import dev.footprint.model.api.PredictRequestReader;
import dev.footprint.model.api.RequestTensors;
import dev.footprint.model.grpc.wire.serving.ClassificationRequest;
import dev.footprint.model.grpc.wire.serving.GetModelMetadataRequest;
import dev.footprint.model.grpc.wire.serving.GetModelMetadataResponse;
import dev.footprint.model.grpc.wire.serving.GetModelStatusRequest;
import dev.footprint.model.grpc.wire.serving.GetModelStatusResponse;
import dev.footprint.model.grpc.wire.serving.ModelSpec;
import dev.footprint.model.grpc.wire.serving.ModelVersionStatus;
import dev.footprint.model.grpc.wire.serving.PredictRequest;
import dev.footprint.model.grpc.wire.serving.PredictResponse;
import dev.footprint.model.grpc.wire.serving.RegressionRequest;
import dev.footprint.model.grpc.wire.serving.SignatureDefMap;
import dev.footprint.model.grpc.wire.serving.StatusProto;
import dev.footprint.model.grpc.wire.tensorflow.SignatureDef;
import dev.footprint.model.grpc.wire.tensorflow.TensorProto;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.repository.VersionStatus;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;

import java.util.Map;
import java.util.TreeSet;

/**
 * TensorFlow Serving's gRPC API over the same models, executor and checks as its REST API:
 * PredictionService's Predict, GetModelMetadata, Classify and Regress, and ModelService's
 * GetModelStatus, with its status codes and messages. Outputs come back in the encoding the inputs
 * came in: {@code tensor_content} if any input was packed, else {@code float_val}. One per event loop.
 */
final class TfServingGrpc {
  static final String PREDICTION_SERVICE = "tensorflow.serving.PredictionService";
  static final String MODEL_SERVICE = "tensorflow.serving.ModelService";

  private final ModelRepository repository;
  private final InferenceSubmitter submitter;
  private final int maxInstances;
  private final int maxValues;

  TfServingGrpc(ModelRepository repository, InferenceSubmitter submitter, int maxInstances, int maxValues) {
    this.repository = repository;
    this.submitter = submitter;
    this.maxInstances = maxInstances;
    this.maxValues = maxValues;
  }

  void serve(GrpcCalls calls) {
    calls.serve(PREDICTION_SERVICE, "Predict", PredictRequest.parser(), this::predict);
    calls.serve(PREDICTION_SERVICE, "GetModelMetadata", GetModelMetadataRequest.parser(), this::metadata);
    calls.serve(PREDICTION_SERVICE, "Classify", ClassificationRequest.parser(),
        (request, call) -> refuse(request.hasModelSpec(), request.getModelSpec(), ClassifyRegress.CLASSIFY));
    calls.serve(PREDICTION_SERVICE, "Regress", RegressionRequest.parser(),
        (request, call) -> refuse(request.hasModelSpec(), request.getModelSpec(), ClassifyRegress.REGRESS));
    calls.serve(MODEL_SERVICE, "GetModelStatus", GetModelStatusRequest.parser(), this::status);
  }

  void predict(PredictRequest request, UnaryCall call) {
    ServableVersion version = acquire(request.hasModelSpec(), request.getModelSpec());
    boolean submitted = false;
    try {
      ServingSignature signature = PredictRequestReader.signature(version, request.getModelSpec().getSignatureName());
      var specs = signature.inputs();
      Map<String, TensorProto> given = request.getInputsMap();
      if (given.size() != specs.size() || !specs.stream().allMatch(s -> given.containsKey(s.alias()))) {
        throw inputsMismatch(given.keySet(), signature);
      }
      float[][] data = new float[specs.size()][];
      long[][] shapes = new long[specs.size()][];
      boolean packed = false;
      for (int i = 0; i < specs.size(); i++) {
        TensorProtos.Values values = TensorProtos.read(given.get(specs.get(i).alias()), specs.get(i).alias(), i, maxValues);
        data[i] = values.data();
        shapes[i] = values.shape();
        packed |= values.packed();
      }
      int[] outputs = outputs(request, signature);
      RequestTensors tensors = RequestTensors.of(signature, data, shapes, false, maxInstances);
      boolean packedOut = packed;
      ModelSpec answered = ModelSpec.newBuilder().setName(version.model())
          .setVersion(Int64Value.of(version.version())).setSignatureName(signature.key()).build();
      call.infer(submitter, version, signature, tensors, done -> {
        PredictResponse.Builder response = PredictResponse.newBuilder().setModelSpec(answered);
        for (int index : outputs) {
          response.putOutputs(signature.outputs().get(index).alias(),
              TensorProtos.write(done.outputValues(index), done.outputShape(index), packedOut));
        }
        return response.build();
      });
      submitted = true;
    } finally {
      if (!submitted) {
        version.release(1);
      }
    }
  }

  /** TensorFlow Serving's message when the inputs are not the signature's (predict_util.cc). */
  private static ServingException inputsMismatch(java.util.Set<String> sent, ServingSignature signature) {
    TreeSet<String> expected = new TreeSet<>();
    signature.inputs().forEach(s -> expected.add(s.alias()));
    TreeSet<String> extra = new TreeSet<>(sent);
    extra.removeAll(expected);
    TreeSet<String> missing = new TreeSet<>(expected);
    missing.removeAll(sent);
    return ServingException.invalid("input size does not match signature: " + sent.size() + "!=" + expected.size()
        + " len({" + String.join(",", new TreeSet<>(sent)) + "}) != len({" + String.join(",", expected)
        + "}). Sent extra: {" + String.join(",", extra) + "}. Missing but required: {" + String.join(",", missing) + "}.");
  }

  /** The outputs asked for (output_filter), in the order asked, or all of the signature's. */
  private static int[] outputs(PredictRequest request, ServingSignature signature) {
    if (request.getOutputFilterCount() == 0) {
      return signature.allOutputs();
    }
    int[] chosen = new int[request.getOutputFilterCount()];
    for (int i = 0; i < chosen.length; i++) {
      String alias = request.getOutputFilter(i);
      int index = signature.outputIndex(alias);
      if (index < 0) {
        TreeSet<String> names = new TreeSet<>();
        signature.outputs().forEach(s -> names.add(s.alias()));
        throw ServingException.invalid("output tensor alias not found in signature: " + alias
            + " Outputs expected to be in the set {" + String.join(",", names) + "}.");
      }
      for (int j = 0; j < i; j++) {
        if (chosen[j] == index) {
          throw ServingException.invalid("duplicate output tensor alias: " + alias);
        }
      }
      chosen[i] = index;
    }
    return chosen;
  }

  void metadata(GetModelMetadataRequest request, UnaryCall call) {
    if (request.getMetadataFieldCount() == 0) {
      throw ServingException.invalid("GetModelMetadataRequest must specify at least one metadata_field");
    }
    for (String field : request.getMetadataFieldList()) {
      if (!"signature_def".equals(field)) {
        throw ServingException.invalid("Metadata field " + field + " is not supported");
      }
    }
    ServableVersion version = acquire(request.hasModelSpec(), request.getModelSpec());
    try {
      SignatureDefMap.Builder signatures = SignatureDefMap.newBuilder();
      // TensorFlow's own SignatureDef messages, re-read as this server's: the same wire format, every
      // field kept (those not declared here, such as defaults, as unknown fields).
      for (var entry : version.metaGraphDef().getSignatureDefMap().entrySet()) {
        signatures.putSignatureDef(entry.getKey(), SignatureDef.parseFrom(entry.getValue().toByteString()));
      }
      call.reply(GetModelMetadataResponse.newBuilder()
          .setModelSpec(ModelSpec.newBuilder().setName(version.model()).setVersion(Int64Value.of(version.version())))
          .putMetadata("signature_def", Any.pack(signatures.build()))
          .build());
    } catch (InvalidProtocolBufferException e) {
      throw new ServingException(500, "the SavedModel's signatures could not be read: " + e.getMessage());
    } finally {
      version.release(1);
    }
  }

  void status(GetModelStatusRequest request, UnaryCall call) {
    ModelSpec spec = requireSpec(request.hasModelSpec(), request.getModelSpec());
    GetModelStatusResponse.Builder response = GetModelStatusResponse.newBuilder();
    for (VersionStatus status : repository.status(spec.getName(), spec.hasVersion() ? spec.getVersion().getValue() : null,
        label(spec))) {
      response.addModelVersionStatus(ModelVersionStatus.newBuilder()
          .setVersion(status.version())
          .setState(ModelVersionStatus.State.valueOf(status.state().name()))
          .setStatus(StatusProto.newBuilder().setErrorCode(GrpcStatuses.errorCode(status.errorCode()))
              .setErrorMessage(status.errorMessage())));
    }
    call.reply(response.build());
  }

  private void refuse(boolean hasSpec, ModelSpec spec, ClassifyRegress method) {
    ServableVersion version = acquire(hasSpec, spec);
    try {
      throw method.refusal(version, spec.getSignatureName());
    } finally {
      version.release(1);
    }
  }

  private ServableVersion acquire(boolean hasSpec, ModelSpec spec) {
    requireSpec(hasSpec, spec);
    return repository.acquire(spec.getName(), spec.hasVersion() ? spec.getVersion().getValue() : null, label(spec));
  }

  private static ModelSpec requireSpec(boolean hasSpec, ModelSpec spec) {
    if (!hasSpec) {
      throw ServingException.invalid("Missing ModelSpec");
    }
    return spec;
  }

  private static String label(ModelSpec spec) {
    return spec.getVersionChoiceCase() == ModelSpec.VersionChoiceCase.VERSION_LABEL ? spec.getVersionLabel() : null;
  }
}
