package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * TensorFlow Serving's predict request, {@code {"signature_name"?, "instances": [...]}} (row format)
 * or {@code {"signature_name"?, "inputs": ...}} (columnar), read into a signature's input tensors,
 * with its checks and its error messages (FillPredictRequestFromJson in json_tensor.cc).
 */
public final class PredictRequestReader {
  enum Format { ROW, COLUMNAR }

  record Parsed(ServingSignature signature, Format format, RequestTensors tensors) {
  }

  private final int maxInstances;
  private final int maxValues;

  PredictRequestReader(int maxInstances, int maxValues) {
    this.maxInstances = maxInstances;
    this.maxValues = maxValues;
  }

  Parsed read(byte[] body, ServableVersion version) {
    Map<?, ?> root = requestObject(body);
    ServingSignature signature = signature(version, signatureName(root));
    Object instances = root.get("instances");
    Object inputs = root.get("inputs");
    if (instances != null && inputs != null) {
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(root)
          + " Not formatted correctly expecting only one of 'inputs' or 'instances' keys to exist ");
    }
    if (instances != null) {
      if (!(instances instanceof List<?> list)) {
        throw ServingException.invalid("JSON Value: " + JsonTree.debug(root) + " Expecting 'instances' to be an list/array");
      }
      if (list.isEmpty()) {
        throw ServingException.invalid("JSON Value: " + JsonTree.debug(root) + " No values in 'instances' array");
      }
      return new Parsed(signature, Format.ROW, rows(signature, list));
    }
    if (inputs != null) {
      return new Parsed(signature, Format.COLUMNAR, columns(signature, inputs));
    }
    throw ServingException.invalid("Missing 'inputs' or 'instances' key");
  }

  /** The signature {@code name} names (serving_default when empty), or TensorFlow Serving's 400 saying why not. */
  /** A request document of TensorFlow Serving's REST API: a JSON object, or its 400. */
  static Map<?, ?> requestObject(byte[] body) {
    Object document = JsonTree.parse(body);
    if (!(document instanceof Map<?, ?> root)) {
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(document) + " Is not object");
    }
    return root;
  }

  /** The document's {@code signature_name}, "" when absent (serving_default), or its 400 if not a string. */
  static String signatureName(Map<?, ?> root) {
    Object signatureName = root.get("signature_name");
    if (signatureName != null && !(signatureName instanceof String)) {
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(root)
          + " not formatted correctly. 'signature_name' key must be a string value.");
    }
    return signatureName == null ? "" : (String) signatureName;
  }

  public static ServingSignature signature(ServableVersion version, String name) {
    String key = name.isEmpty() ? "serving_default" : name;
    ServingSignature signature = version.signature(key);
    if (signature == null) {
      String why = version.whyUnservable(key);
      if (why != null) {
        throw ServingException.invalid("Serving signature name: \"" + key + "\" cannot be served: " + why);
      }
      throw ServingException.invalid("Serving signature name: \"" + key + "\" not found in signature def");
    }
    return signature;
  }

  /** Row format: each instance is one row; objects name the inputs when there are several. */
  private RequestTensors rows(ServingSignature signature, List<?> instances) {
    if (instances.size() > maxInstances) {
      throw new ServingException(413, "the request has " + instances.size() + " instances; the limit is "
          + maxInstances + " (MAX_INSTANCES)");
    }
    List<TensorSpec> specs = signature.inputs();
    // A {"b64": "..."} value is a value (of a string input), not an object naming inputs.
    boolean objects = JsonTree.isNamedObject(instances.get(0));
    if (!objects && specs.size() > 1) {
      throw ServingException.invalid("instances is a plain list, but expecting list of objects as multiple input tensors "
          + "required as per tensorinfo_map");
    }
    Set<String> names = new TreeSet<>();
    specs.forEach(s -> names.add(s.alias()));
    long[][] itemShapes = new long[specs.size()][];
    float[][] data = new float[specs.size()][];
    int[] offsets = new int[specs.size()];
    for (int row = 0; row < instances.size(); row++) {
      Object element = instances.get(row);
      if (objects) {
        if (!JsonTree.isNamedObject(element) || !(element instanceof Map<?, ?> object)) {
          throw ServingException.invalid("Expecting object but got list at item " + row + " of input list");
        }
        for (Map.Entry<?, ?> entry : object.entrySet()) {
          String name = (String) entry.getKey();
          int index = signature.inputIndex(name);
          if (index < 0) {
            throw ServingException.invalid("Failed to process element: " + row + " key: " + name
                + " of 'instances' list. Error: INVALID_ARGUMENT: JSON object: does not have named input: " + name);
          }
          addItem(row, index, entry.getValue(), instances.size(), itemShapes, data, offsets, name);
        }
        if (!object.keySet().equals(names)) {
          throw ServingException.invalid("Failed to process element: " + row + " of 'instances' list. JSON object: "
              + JsonTree.debug(object) + " keys must be equal to: " + String.join(",", names));
        }
      } else {
        if (JsonTree.isNamedObject(element)) {
          throw ServingException.invalid("Expecting value/list but got object at item " + row + " of input list");
        }
        addItem(row, 0, element, instances.size(), itemShapes, data, offsets, null);
      }
    }
    long[][] shapes = new long[specs.size()][];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = new long[itemShapes[i].length + 1];
      shapes[i][0] = instances.size();
      System.arraycopy(itemShapes[i], 0, shapes[i], 1, itemShapes[i].length);
    }
    return RequestTensors.of(signature, data, shapes, false, maxInstances);
  }

  private void addItem(int row, int index, Object item, int rows, long[][] itemShapes, float[][] data, int[] offsets,
                       String key) {
    long[] shape = TensorJson.shape(item);
    try {
      if (itemShapes[index] == null) {
        itemShapes[index] = shape;
        long total = TensorJson.count(shape) * rows;
        if (total > maxValues) {
          throw new ServingException(413, "a tensor of " + total + " values is over the limit of " + maxValues + " values");
        }
        data[index] = new float[(int) total];
      } else if (TensorJson.count(shape) != TensorJson.count(itemShapes[index])) {
        throw ServingException.invalid("Expecting tensor size: " + TensorJson.count(itemShapes[index]) + " but got: "
            + TensorJson.count(shape));
      } else if (!java.util.Arrays.equals(shape, itemShapes[index])) {
        StringBuilder expected = new StringBuilder();
        StringBuilder got = new StringBuilder();
        JsonOut.dims(expected, itemShapes[index]);
        JsonOut.dims(got, shape);
        throw ServingException.invalid("Expecting shape " + expected + " but got: " + got);
      }
      offsets[index] = TensorJson.fill(item, 0, shape, data[index], offsets[index]);
    } catch (ServingException e) {
      if (e.status() != 400) {
        throw e;
      }
      throw ServingException.invalid("Failed to process element: " + row + (key == null ? "" : " key: " + key)
          + " of 'instances' list. Error: INVALID_ARGUMENT: " + e.getMessage());
    }
  }

  /** Columnar format: one value for a single input, or an object of input name to value. */
  private RequestTensors columns(ServingSignature signature, Object inputs) {
    List<TensorSpec> specs = signature.inputs();
    float[][] data = new float[specs.size()][];
    long[][] shapes = new long[specs.size()][];
    boolean scalar = false;
    if (!JsonTree.isNamedObject(inputs) || !(inputs instanceof Map<?, ?> named)) {
      if (specs.size() > 1) {
        throw ServingException.invalid("inputs is a plain value/list, but expecting an object as multiple input tensors "
            + "required as per tensorinfo_map");
      }
      shapes[0] = TensorJson.shape(inputs);
      data[0] = TensorJson.values(inputs, shapes[0], maxValues);
      // A bare scalar for a batch of scalars ({"inputs": 212}) runs as a batch of one.
      if (shapes[0].length == 0 && specs.get(0).rank() == 1 && specs.get(0).batchable()) {
        shapes[0] = new long[] {1};
        scalar = true;
      }
    } else {
      for (int i = 0; i < specs.size(); i++) {
        String name = specs.get(i).alias();
        if (!named.containsKey(name)) {
          throw ServingException.invalid("Missing named input: " + name + " in 'inputs' object.");
        }
        Object value = named.get(name);
        shapes[i] = TensorJson.shape(value);
        data[i] = TensorJson.values(value, shapes[i], maxValues);
      }
    }
    return RequestTensors.of(signature, data, shapes, scalar, maxInstances);
  }
}
