package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) inference request, read into the signature's inputs:
 * {@code {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype": "FP32", "data"}],
 * "outputs"?: [{"name"}]}}. {@code data} may be flat (row-major) or nested.
 */
final class InferRequestReader {
  record Parsed(String id, RequestTensors tensors, List<Integer> outputs) {
  }

  private final int maxInstances;
  private final int maxValues;

  InferRequestReader(int maxInstances, int maxValues) {
    this.maxInstances = maxInstances;
    this.maxValues = maxValues;
  }

  Parsed read(byte[] body, ServingSignature signature) {
    Object document = JsonTree.parse(body);
    if (!(document instanceof Map<?, ?> root)) {
      throw ServingException.invalid("the inference request must be a JSON object");
    }
    Object id = root.get("id");
    if (id != null && !(id instanceof String)) {
      throw ServingException.invalid("\"id\" must be a string");
    }
    if (!(root.get("inputs") instanceof List<?> inputs) || inputs.isEmpty()) {
      throw ServingException.invalid("\"inputs\" must be a non-empty array of {\"name\", \"shape\", \"datatype\", \"data\"}");
    }
    List<TensorSpec> specs = signature.inputs();
    float[][] data = new float[specs.size()][];
    long[][] shapes = new long[specs.size()][];
    for (Object item : inputs) {
      if (!(item instanceof Map<?, ?> input) || !(input.get("name") instanceof String name)) {
        throw ServingException.invalid("each input must be an object with a \"name\"");
      }
      int index = signature.inputIndex(name);
      if (index < 0) {
        throw ServingException.invalid("unexpected inference input '" + name + "': the model's inputs are " + names(specs));
      }
      if (data[index] != null) {
        throw ServingException.invalid("input '" + name + "' is given twice");
      }
      if (!"FP32".equals(input.get("datatype"))) {
        throw ServingException.invalid("input '" + name + "' has datatype " + JsonTree.debug(input.get("datatype"))
            + "; the model expects FP32");
      }
      long[] shape = shape(name, input.get("shape"));
      Object values = input.get("data");
      if (!(values instanceof List)) {
        throw ServingException.invalid("input '" + name + "': \"data\" must be an array");
      }
      long count = TensorJson.count(shape);
      if (count > maxValues) {
        throw new ServingException(413, "input '" + name + "' has " + count + " values; the limit is " + maxValues);
      }
      float[] flat = new float[(int) count];
      int filled = flatten(name, values, flat, 0);
      if (filled != count) {
        throw ServingException.invalid("input '" + name + "' has " + filled + " values; shape " + dims(shape) + " needs " + count);
      }
      data[index] = flat;
      shapes[index] = shape;
    }
    for (int i = 0; i < specs.size(); i++) {
      if (data[i] == null) {
        throw ServingException.invalid("missing inference input '" + specs.get(i).alias() + "'");
      }
    }
    return new Parsed((String) id, RequestTensors.of(signature, data, shapes, false, maxInstances),
        outputs(root.get("outputs"), signature));
  }

  private static List<Integer> outputs(Object requested, ServingSignature signature) {
    List<Integer> indexes = new ArrayList<>();
    if (requested == null) {
      for (int i = 0; i < signature.outputs().size(); i++) {
        indexes.add(i);
      }
      return indexes;
    }
    if (!(requested instanceof List<?> list)) {
      throw ServingException.invalid("\"outputs\" must be an array of {\"name\"}");
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> output) || !(output.get("name") instanceof String name)) {
        throw ServingException.invalid("each requested output must be an object with a \"name\"");
      }
      int index = signature.outputIndex(name);
      if (index < 0) {
        throw ServingException.invalid("unexpected inference output '" + name + "': the model's outputs are "
            + names(signature.outputs()));
      }
      indexes.add(index);
    }
    return indexes;
  }

  private static long[] shape(String name, Object value) {
    if (!(value instanceof List<?> list)) {
      throw ServingException.invalid("input '" + name + "': \"shape\" must be an array of sizes");
    }
    long[] shape = new long[list.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(list.get(i) instanceof Double size) || size < 0 || size != Math.rint(size) || size > Integer.MAX_VALUE) {
        throw ServingException.invalid("input '" + name + "': \"shape\" must hold non-negative integers, got "
            + JsonTree.debug(value));
      }
      shape[i] = size.longValue();
    }
    return shape;
  }

  private static int flatten(String name, Object value, float[] out, int offset) {
    if (value instanceof List<?> list) {
      int next = offset;
      for (Object element : list) {
        next = flatten(name, element, out, next);
      }
      return next;
    }
    if (!(value instanceof Double number)) {
      throw ServingException.invalid("input '" + name + "': " + JsonTree.debug(value) + " is not a number (FP32)");
    }
    if (offset >= out.length) {
      return offset + 1;
    }
    out[offset] = number.floatValue();
    return offset + 1;
  }

  private static String dims(long[] shape) {
    StringBuilder out = new StringBuilder();
    JsonOut.dims(out, shape);
    return out.toString();
  }

  private static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::alias).toList().toString();
  }
}
