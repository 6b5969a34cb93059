package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol (KServe V2) inference request, read into the signature's inputs:
 * {@code {"id"?, "parameters"?, "inputs": [{"name", "shape", "datatype": "FP32", "data"}],
 * "outputs"?: [{"name"}]}}. {@code data} may be flat (row-major) or nested; its numbers may also be
 * the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (proto3's JSON form, the one
 * the answers use).
 *
 * <p>With the binary tensor data extension (Triton's {@code extension_binary_data.md}), the body is a
 * JSON header of {@code Inference-Header-Content-Length} bytes followed by the inputs that have
 * {@code parameters.binary_data_size} instead of {@code data}, in the order the header lists them:
 * FP32 little-endian, row-major, exactly the bytes their shape needs and nothing left over. A header
 * length of 0 is a raw binary request: the whole body is the model's single input. Outputs are
 * answered in binary when {@code parameters.binary_data_output} (for all) or an output's
 * {@code parameters.binary_data} says so.
 */
final class InferRequestReader {
  /** The header whose value is the length of the JSON part of a body holding binary tensors. */
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /** @param binary which of {@code outputs} are answered as binary data; null when none is */
  record Parsed(String id, RequestTensors tensors, List<Integer> outputs, boolean[] binary) {
  }

  private final int maxInstances;
  private final int maxValues;

  InferRequestReader(int maxInstances, int maxValues) {
    this.maxInstances = maxInstances;
    this.maxValues = maxValues;
  }

  /** A body that is all JSON. */
  Parsed read(byte[] body, ServingSignature signature) {
    return read(body, -1, signature);
  }

  /**
   * A body whose first {@code headerLength} bytes are the JSON header, the rest binary tensor data;
   * {@code headerLength < 0} when the request has no {@link #HEADER_LENGTH} (all JSON).
   */
  Parsed read(byte[] body, int headerLength, ServingSignature signature) {
    if (headerLength == 0) {
      return raw(body, signature);
    }
    Object document = JsonTree.parse(headerLength < 0 ? body : Arrays.copyOf(body, headerLength));
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
    int binaryAt = headerLength; // where the next binary input starts
    for (Object item : inputs) {
      if (!(item instanceof Map<?, ?> input) || !(input.get("name") instanceof String name)) {
        throw ServingException.invalid("each input must be an object with a \"name\"");
      }
      int index = InferTensors.input(signature, name, data);
      if (!"FP32".equals(input.get("datatype"))) {
        throw ServingException.invalid("input '" + name + "' has datatype " + JsonTree.debug(input.get("datatype"))
            + "; the model expects FP32");
      }
      long[] shape = shape(name, input.get("shape"));
      Object values = input.get("data");
      long count = InferTensors.count(shape);
      if (count > maxValues) {
        throw new ServingException(413, "input '" + name + "' has " + count + " values; the limit is " + maxValues);
      }
      float[] flat;
      if (values instanceof List) {
        if (headerLength > 0 && input.get("parameters") instanceof Map<?, ?> parameters && parameters.get("binary_data_size") != null) {
          throw bothDataAndBinary(name);
        }
        flat = new float[(int) count];
        int filled = flatten(name, values, flat, 0);
        if (filled != count) {
          throw ServingException.invalid("input '" + name + "' has " + filled + " values; shape " + InferTensors.dims(shape) + " needs " + count);
        }
      } else {
        long size = binaryDataSize(name, input, values, headerLength);
        if (size != count * Float.BYTES) {
          throw ServingException.invalid("input '" + name + "': binary_data_size is " + size + " bytes; shape "
              + InferTensors.dims(shape) + " of FP32 needs " + count * Float.BYTES);
        }
        if (size > body.length - binaryAt) {
          throw ServingException.invalid("input '" + name + "': binary_data_size " + size + " goes past the end of the body: "
              + (body.length - binaryAt) + " bytes of binary data are left after the inputs before it");
        }
        flat = floats(body, binaryAt, (int) count);
        binaryAt += (int) size;
      }
      data[index] = flat;
      shapes[index] = shape;
    }
    if (headerLength > 0 && binaryAt != body.length) {
      throw ServingException.invalid("the body has " + (body.length - headerLength) + " bytes after the "
          + HEADER_LENGTH + " of " + headerLength + "; the inputs' binary_data_size account for " + (binaryAt - headerLength));
    }
    InferTensors.allGiven(signature, data);
    boolean allBinary = flag(root.get("parameters"), "binary_data_output", "the request");
    Object requested = root.get("outputs");
    List<Integer> outputs = outputs(requested, signature);
    return new Parsed((String) id, RequestTensors.of(signature, data, shapes, false, maxInstances), outputs,
        binary(requested, outputs.size(), allBinary));
  }

  /** The whole body as the model's one input, its shape the input's with the dimension of any size filled in. */
  private Parsed raw(byte[] body, ServingSignature signature) {
    if (signature.inputs().size() != 1) {
      throw ServingException.invalid("a raw binary request (" + HEADER_LENGTH + ": 0) needs a model with one input; this one has "
          + InferTensors.names(signature.inputs()));
    }
    TensorSpec spec = signature.inputs().get(0);
    long[] dims = spec.dims();
    long known = 1;
    int open = -1;
    for (int d = 0; dims != null && d < dims.length; d++) {
      if (dims[d] >= 0) {
        known *= dims[d];
      } else if (open < 0) {
        open = d;
      } else {
        open = Integer.MAX_VALUE;
      }
    }
    if (dims == null || open == Integer.MAX_VALUE) {
      throw ServingException.invalid("a raw binary request (" + HEADER_LENGTH + ": 0) needs an input with at most one"
          + " dimension of any size; '" + spec.alias() + "' has shape " + spec.shapeText());
    }
    long rowBytes = known * Float.BYTES;
    if (rowBytes == 0 || body.length % rowBytes != 0 || (open < 0 && body.length != rowBytes)) {
      throw ServingException.invalid("a raw binary request of " + body.length + " bytes does not fill input '" + spec.alias()
          + "' of shape " + spec.shapeText() + " with FP32 values");
    }
    long[] shape = dims.clone();
    if (open >= 0) {
      shape[open] = body.length / rowBytes;
    }
    long count = body.length / Float.BYTES;
    if (count > maxValues) {
      throw new ServingException(413, "input '" + spec.alias() + "' has " + count + " values; the limit is " + maxValues);
    }
    RequestTensors tensors = RequestTensors.of(signature, new float[][] {floats(body, 0, (int) count)}, new long[][] {shape},
        false, maxInstances);
    List<Integer> outputs = outputs(null, signature);
    boolean[] binary = new boolean[outputs.size()];
    Arrays.fill(binary, true);
    return new Parsed(null, tensors, outputs, binary);
  }

  /** An input's {@code parameters.binary_data_size}, for one without {@code data}; 400 when it has neither. */
  private static long binaryDataSize(String name, Map<?, ?> input, Object values, int headerLength) {
    Object size = input.get("parameters") instanceof Map<?, ?> parameters ? parameters.get("binary_data_size") : null;
    if (size == null) {
      throw ServingException.invalid("input '" + name + "': \"data\" must be an array"
          + (values == null ? " (or the input's data binary, with parameters.binary_data_size)" : ""));
    }
    if (values != null) {
      throw bothDataAndBinary(name);
    }
    if (!(size instanceof Double bytes) || bytes < 0 || bytes != Math.rint(bytes) || bytes > Integer.MAX_VALUE) {
      throw ServingException.invalid("input '" + name + "': binary_data_size must be a number of bytes, got " + JsonTree.debug(size));
    }
    if (headerLength < 0) {
      throw ServingException.invalid("input '" + name + "' has binary_data_size but the request has no " + HEADER_LENGTH
          + " header to say where its JSON ends");
    }
    return bytes.longValue();
  }

  private static ServingException bothDataAndBinary(String name) {
    return ServingException.invalid("input '" + name + "' has both \"data\" and parameters.binary_data_size");
  }

  private static float[] floats(byte[] body, int offset, int count) {
    float[] values = new float[count];
    ByteBuffer.wrap(body, offset, count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
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
      indexes.add(InferTensors.output(signature, name));
    }
    return indexes;
  }

  /** Which outputs are answered in binary: each one's {@code binary_data}, else {@code allBinary}; null for none. */
  private static boolean[] binary(Object requested, int count, boolean allBinary) {
    boolean[] binary = null;
    for (int i = 0; i < count; i++) {
      boolean one = allBinary;
      if (requested instanceof List<?> list && list.get(i) instanceof Map<?, ?> output) {
        Object parameters = output.get("parameters");
        if (parameters != null && !(parameters instanceof Map<?, ?> map && map.get("binary_data") == null)) {
          one = flag(parameters, "binary_data", "output '" + output.get("name") + "'");
        }
      }
      if (one) {
        if (binary == null) {
          binary = new boolean[count];
        }
        binary[i] = true;
      }
    }
    return binary;
  }

  /** A boolean parameter, false when absent; 400 when {@code parameters} is not an object or the value not a boolean. */
  private static boolean flag(Object parameters, String key, String where) {
    if (parameters == null) {
      return false;
    }
    if (!(parameters instanceof Map<?, ?> map)) {
      throw ServingException.invalid(where + ": \"parameters\" must be an object");
    }
    Object value = map.get(key);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw ServingException.invalid(where + ": parameter " + key + " must be true or false, got " + JsonTree.debug(value));
    }
    return b;
  }

  /** The {@link #HEADER_LENGTH} of a request, -1 when it has none; 400 unless a number of bytes within the body. */
  static int headerLength(String value, int bodyLength) {
    if (value == null) {
      return -1;
    }
    long length;
    try {
      // Decimal digits only: parseLong would also take a sign.
      length = value.isEmpty() || value.length() > 10 || !Character.isDigit(value.charAt(0)) ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0) {
      throw ServingException.invalid(HEADER_LENGTH + " must be a number of bytes, got \"" + value + "\"");
    }
    if (length > bodyLength) {
      throw ServingException.invalid(HEADER_LENGTH + " is " + length + " bytes, past the end of the body (" + bodyLength + " bytes)");
    }
    return (int) length;
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
    float number;
    if (value instanceof Double d) {
      number = d.floatValue();
    } else {
      number = value instanceof String s ? nonFinite(s) : 0f;
      if (number == 0f) {
        throw ServingException.invalid("input '" + name + "': " + JsonTree.debug(value) + " is not a number (FP32)");
      }
    }
    if (offset < out.length) {
      out[offset] = number;
    }
    return offset + 1;
  }

  /** The value of {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}; 0 for any other string. */
  private static float nonFinite(String text) {
    return switch (text) {
      case "NaN" -> Float.NaN;
      case "Infinity" -> Float.POSITIVE_INFINITY;
      case "-Infinity" -> Float.NEGATIVE_INFINITY;
      default -> 0f;
    };
  }

}
