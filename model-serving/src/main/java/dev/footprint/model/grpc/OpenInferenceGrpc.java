package dev.footprint.model.grpc;

import dev.footprint.core.ServiceContext;
import dev.footprint.model.ServingException;
import dev.footprint.model.api.InferTensors;
import dev.footprint.model.api.InferenceSubmitter;
import dev.footprint.model.api.OpenInferenceApi;
import dev.footprint.model.api.RequestTensors;
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
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.nio.ByteOrder;
import java.util.List;

/**
 * The Open Inference Protocol (KServe V2) over gRPC, inference.GRPCInferenceService, over the same
 * models and executor as its REST form, with the same checks and messages: FP32 tensors of the
 * model's {@code serving_default} signature, given in typed {@code contents} or in
 * {@code raw_input_contents}; outputs come back in the same form the inputs came in. One per event loop.
 */
final class OpenInferenceGrpc {
  static final String SERVICE = "inference.GRPCInferenceService";

  private final ServiceContext context;
  private final ModelRepository repository;
  private final InferenceSubmitter submitter;
  private final int maxInstances;
  private final int maxValues;

  OpenInferenceGrpc(ServiceContext context, ModelRepository repository, InferenceSubmitter submitter, int maxInstances,
                    int maxValues) {
    this.context = context;
    this.repository = repository;
    this.submitter = submitter;
    this.maxInstances = maxInstances;
    this.maxValues = maxValues;
  }

  void serve(GrpcCalls calls) {
    calls.serve(SERVICE, "ModelInfer", ModelInferRequest.parser(), this::infer);
    calls.serve(SERVICE, "ServerLive", ServerLiveRequest.parser(),
        (request, call) -> call.reply(ServerLiveResponse.newBuilder().setLive(true).build()));
    calls.serve(SERVICE, "ServerReady", ServerReadyRequest.parser(),
        (request, call) -> call.reply(ServerReadyResponse.newBuilder().setReady(context.readiness().isReady()).build()));
    calls.serve(SERVICE, "ModelReady", ModelReadyRequest.parser(), this::modelReady);
    calls.serve(SERVICE, "ServerMetadata", ServerMetadataRequest.parser(), (request, call) -> call.reply(
        ServerMetadataResponse.newBuilder().setName(context.serviceName()).setVersion(OpenInferenceApi.serverVersion())
            .addExtensions("binary_tensor_data").build()));
    calls.serve(SERVICE, "ModelMetadata", ModelMetadataRequest.parser(), this::modelMetadata);
  }

  void modelReady(ModelReadyRequest request, UnaryCall call) {
    String model = request.getName();
    // Not ready rather than an error for a model not served here, as tritonclient.http reads the REST answer.
    List<Long> available = repository.isServed(model) ? repository.availableVersions(model) : List.of();
    boolean ready = request.getVersion().isEmpty()
        ? !available.isEmpty()
        : available.stream().anyMatch(v -> v.toString().equals(request.getVersion()));
    call.reply(ModelReadyResponse.newBuilder().setReady(ready).build());
  }

  void modelMetadata(ModelMetadataRequest request, UnaryCall call) {
    ServableVersion version = acquire(request.getName(), request.getVersion());
    try {
      ServingSignature signature = version.signature("serving_default");
      ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder()
          .setName(version.model()).setPlatform(OpenInferenceApi.PLATFORM);
      repository.availableVersions(version.model()).forEach(v -> response.addVersions(v.toString()));
      for (TensorSpec input : signature.inputs()) {
        response.addInputs(tensor(input));
      }
      for (TensorSpec output : signature.outputs()) {
        response.addOutputs(tensor(output));
      }
      call.reply(response.build());
    } finally {
      version.release(1);
    }
  }

  private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec spec) {
    var tensor = ModelMetadataResponse.TensorMetadata.newBuilder().setName(spec.alias()).setDatatype("FP32");
    if (spec.dims() != null) {
      for (long size : spec.dims()) {
        tensor.addShape(size);
      }
    }
    return tensor.build();
  }

  void infer(ModelInferRequest request, UnaryCall call) {
    ServableVersion version = acquire(request.getModelName(), request.getModelVersion());
    boolean submitted = false;
    try {
      ServingSignature signature = version.signature("serving_default");
      List<TensorSpec> specs = signature.inputs();
      boolean raw = request.getRawInputContentsCount() > 0;
      if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
        throw ServingException.invalid("raw_input_contents has " + request.getRawInputContentsCount()
            + " entries for " + request.getInputsCount() + " inputs: one per input, in their order");
      }
      float[][] data = new float[specs.size()][];
      long[][] shapes = new long[specs.size()][];
      for (int n = 0; n < request.getInputsCount(); n++) {
        ModelInferRequest.InferInputTensor input = request.getInputs(n);
        String name = input.getName();
        int index = InferTensors.input(signature, name, data);
        if (!"FP32".equals(input.getDatatype())) {
          throw ServingException.invalid("input '" + name + "' has datatype \"" + input.getDatatype() + "\"; the model expects FP32");
        }
        long[] shape = new long[input.getShapeCount()];
        for (int d = 0; d < shape.length; d++) {
          shape[d] = input.getShape(d);
          if (shape[d] < 0) {
            throw ServingException.invalid("input '" + name + "': \"shape\" must hold non-negative integers, got " + shape[d]);
          }
        }
        long count = InferTensors.count(shape);
        if (count > maxValues) {
          throw new ServingException(413, "input '" + name + "' has " + count + " values; the limit is " + maxValues);
        }
        data[index] = raw ? rawValues(name, request.getRawInputContents(n), input, count, shape)
            : typedValues(name, input.getContents(), count, shape);
        shapes[index] = shape;
      }
      InferTensors.allGiven(signature, data);
      int[] outputs = outputs(request, signature);
      RequestTensors tensors = RequestTensors.of(signature, data, shapes, false, maxInstances);
      String model = version.model();
      String number = Long.toString(version.version());
      String id = request.getId();
      call.infer(submitter, version, signature, tensors, done -> {
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(model).setModelVersion(number).setId(id);
        for (int index : outputs) {
          float[] values = done.outputValues(index);
          var output = ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(signature.outputs().get(index).alias()).setDatatype("FP32");
          for (long size : done.outputShape(index)) {
            output.addShape(size);
          }
          if (raw) {
            response.addRawOutputContents(TensorProtos.littleEndian(values));
          } else {
            InferTensorContents.Builder contents = InferTensorContents.newBuilder();
            for (float value : values) {
              contents.addFp32Contents(value);
            }
            output.setContents(contents);
          }
          response.addOutputs(output);
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

  private static float[] rawValues(String name, com.google.protobuf.ByteString bytes, ModelInferRequest.InferInputTensor input,
                                   long count, long[] shape) {
    if (input.hasContents()) {
      throw ServingException.invalid("input '" + name + "' has both contents and raw_input_contents");
    }
    if (bytes.size() != count * Float.BYTES) {
      throw ServingException.invalid("input '" + name + "': raw_input_contents has " + bytes.size() + " bytes; shape "
          + InferTensors.dims(shape) + " of FP32 needs " + count * Float.BYTES);
    }
    float[] values = new float[(int) count];
    bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  private static float[] typedValues(String name, InferTensorContents contents, long count, long[] shape) {
    if (contents.getFp32ContentsCount() != count) {
      throw ServingException.invalid("input '" + name + "' has " + contents.getFp32ContentsCount()
          + " values in fp32_contents; shape " + InferTensors.dims(shape) + " needs " + count);
    }
    float[] values = new float[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = contents.getFp32Contents(i);
    }
    return values;
  }

  private static int[] outputs(ModelInferRequest request, ServingSignature signature) {
    if (request.getOutputsCount() == 0) {
      return signature.allOutputs();
    }
    int[] chosen = new int[request.getOutputsCount()];
    for (int i = 0; i < chosen.length; i++) {
      chosen[i] = InferTensors.output(signature, request.getOutputs(i).getName());
    }
    return chosen;
  }

  /** Versions are strings in V2: empty for the latest, one that is no version's number is not found. */
  private ServableVersion acquire(String model, String version) {
    return repository.acquire(model, version.isEmpty() ? null : version);
  }
}
