package dev.footprint.model.servable;

import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Loads one version folder: the SavedModel with tag {@code serve}, its signatures checked, then
 * warmed up (every servable signature run once at batch size 1 and at the largest batch), so the
 * first real request does not pay TensorFlow's first-run costs. A version without a servable
 * {@code serving_default} signature is refused.
 */
public final class VersionLoader {
  private final ConfigProto sessionConfig;
  private final int warmupBatchSize;
  private final boolean warmup;

  /**
   * @param interOpThreads TensorFlow's inter-op pool; negative runs every op on the calling thread
   *                       (no hand-off inside TensorFlow: what tiny models want)
   * @param intraOpThreads threads one op may use
   */
  public VersionLoader(int interOpThreads, int intraOpThreads, boolean warmup, int warmupBatchSize) {
    this.sessionConfig = ConfigProto.newBuilder()
        .setInterOpParallelismThreads(interOpThreads)
        .setIntraOpParallelismThreads(intraOpThreads)
        .setAllowSoftPlacement(true)
        .build();
    this.warmup = warmup;
    this.warmupBatchSize = Math.max(1, warmupBatchSize);
  }

  public ServableVersion load(String model, long version, Path directory, Consumer<ServableVersion> onLastRelease)
      throws VersionLoadException {
    if (!Files.isRegularFile(directory.resolve("saved_model.pb")) && !Files.isRegularFile(directory.resolve("saved_model.pbtxt"))) {
      throw new VersionLoadException("NOT_FOUND",
          "Could not find SavedModel .pb or .pbtxt at supplied export directory path: " + directory, null);
    }
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.loader(directory.toString())
          .withTags(SavedModelBundle.DEFAULT_TAG)
          .withConfigProto(sessionConfig)
          .load();
    } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
      throw new VersionLoadException(errorCode(e), firstLine(e.getMessage()), e);
    }
    try {
      Map<String, ServingSignature> servable = new LinkedHashMap<>();
      Map<String, String> unservable = new LinkedHashMap<>();
      bundle.metaGraphDef().getSignatureDefMap().forEach((key, def) -> {
        String problem = problem(def);
        if (problem == null) {
          servable.put(key, signature(bundle, key, def));
        } else {
          unservable.put(key, problem);
        }
      });
      if (!servable.containsKey(Signature.DEFAULT_KEY)) {
        String why = unservable.containsKey(Signature.DEFAULT_KEY)
            ? "signature \"serving_default\" cannot be served: " + unservable.get(Signature.DEFAULT_KEY)
            : "the SavedModel has no \"serving_default\" signature (it has " + bundle.metaGraphDef().getSignatureDefMap().keySet() + ")";
        throw new VersionLoadException("INVALID_ARGUMENT", why, null);
      }
      ServableVersion loaded = new ServableVersion(model, version, bundle, servable, unservable, onLastRelease);
      if (warmup) {
        for (ServingSignature signature : servable.values()) {
          warmUp(signature);
        }
      }
      return loaded;
    } catch (VersionLoadException e) {
      bundle.close();
      throw e;
    } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
      bundle.close();
      throw new VersionLoadException(errorCode(e), "warm-up failed: " + firstLine(e.getMessage()), e);
    }
  }

  /** Why this signature cannot be served here, or null. */
  static String problem(SignatureDef def) {
    if (def.getInputsCount() == 0 || def.getOutputsCount() == 0) {
      return "it has no inputs or no outputs";
    }
    for (var side : List.of(def.getInputsMap(), def.getOutputsMap())) {
      for (Map.Entry<String, TensorInfo> entry : side.entrySet()) {
        TensorInfo info = entry.getValue();
        if (info.getDtype() != DataType.DT_FLOAT) {
          return "tensor \"" + entry.getKey() + "\" is " + info.getDtype() + "; this server serves DT_FLOAT tensors only";
        }
        if (info.getName().isEmpty()) {
          return "tensor \"" + entry.getKey() + "\" is not a dense tensor";
        }
        if (!info.hasTensorShape() || info.getTensorShape().getUnknownRank()) {
          return "tensor \"" + entry.getKey() + "\" has an unknown rank";
        }
      }
    }
    return null;
  }

  private static ServingSignature signature(SavedModelBundle bundle, String key, SignatureDef def) {
    List<TensorSpec> inputs = new ArrayList<>();
    List<TensorSpec> outputs = new ArrayList<>();
    // Sorted, as TensorFlow Serving's proto maps print: a stable order for responses and metadata.
    def.getInputsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> inputs.add(TensorSpec.of(e.getKey(), e.getValue())));
    def.getOutputsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> outputs.add(TensorSpec.of(e.getKey(), e.getValue())));
    Output<?>[] feeds = inputs.stream().map(s -> bundle.graph().outputOrThrow(s.tensorName())).toArray(Output<?>[]::new);
    Output<?>[] fetches = outputs.stream().map(s -> bundle.graph().outputOrThrow(s.tensorName())).toArray(Output<?>[]::new);
    return new ServingSignature(key, inputs, outputs, feeds, fetches, bundle.session());
  }

  private void warmUp(ServingSignature signature) {
    int[] sizes = signature.batchable() ? new int[] {1, warmupBatchSize} : new int[] {1};
    for (int rows : sizes) {
      float[][] data = new float[signature.inputs().size()][];
      long[][] shapes = new long[data.length][];
      for (int i = 0; i < data.length; i++) {
        long[] dims = signature.inputs().get(i).dims().clone();
        for (int d = 0; d < dims.length; d++) {
          if (dims[d] < 0) {
            dims[d] = d == 0 ? rows : 1;
          }
        }
        long count = 1;
        for (long dim : dims) {
          count *= dim;
        }
        shapes[i] = dims;
        data[i] = new float[(int) count];
      }
      signature.run(data, shapes);
    }
  }

  static String errorCode(RuntimeException e) {
    String name = e.getClass().getSimpleName();
    return switch (name) {
      case "TFInvalidArgumentException" -> "INVALID_ARGUMENT";
      case "TFNotFoundException" -> "NOT_FOUND";
      case "TFFailedPreconditionException" -> "FAILED_PRECONDITION";
      case "TFOutOfRangeException" -> "OUT_OF_RANGE";
      case "TFResourceExhaustedException" -> "RESOURCE_EXHAUSTED";
      case "TFPermissionDeniedException" -> "PERMISSION_DENIED";
      case "TFUnimplementedException" -> "UNIMPLEMENTED";
      default -> e.getMessage() != null && e.getMessage().contains("parse") ? "DATA_LOSS" : "UNKNOWN";
    };
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
