package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServableVersion;

import java.util.List;
import java.util.Map;

/**
 * TensorFlow Serving's Classify and Regress run classify and regress signatures on tf.Example
 * inputs. This server runs predict signatures only, so both APIs (REST {@code :classify} and
 * {@code :regress}, gRPC {@code Classify} and {@code Regress}) answer as TensorFlow Serving answers
 * them on a predict signature, and say plainly that a signature of the right kind is not run here.
 */
public enum ClassifyRegress {
  CLASSIFY("tensorflow/serving/classify", "classification"),
  REGRESS("tensorflow/serving/regress", "regression");

  private final String methodName;
  private final String kind;

  ClassifyRegress(String methodName, String kind) {
    this.methodName = methodName;
    this.kind = kind;
  }

  public static ClassifyRegress of(String method) {
    return "classify".equals(method) ? CLASSIFY : REGRESS;
  }

  /**
   * The error for a call on {@code signatureName} ("" for serving_default) of {@code version}:
   * TensorFlow Serving's INVALID_ARGUMENT for a missing or predict signature, 501 (UNIMPLEMENTED)
   * for a signature of this kind.
   */
  public ServingException refusal(ServableVersion version, String signatureName) {
    String key = signatureName.isEmpty() ? "serving_default" : signatureName;
    var signature = version.metaGraphDef().getSignatureDefMap().get(key);
    if (signature == null) {
      return ServingException.invalid("Serving signature name: \"" + key + "\" not found in signature def");
    }
    if (!methodName.equals(signature.getMethodName())) {
      return ServingException.invalid("Expected " + kind + " signature method_name to be " + methodName + ". Was: "
          + signature.getMethodName());
    }
    return new ServingException(501, "this server runs predict signatures only, not " + kind + " signatures on"
        + " tf.Example inputs: call predict on a predict signature");
  }

  /**
   * The REST body, {@code {"signature_name"?, "context"?, "examples": [{feature: value|[values]}...]}},
   * checked as TensorFlow Serving's json_tensor.cc checks it before it looks the model up; returns the
   * signature name. Feature kinds (bytes, float, int64) are not told apart: no example is run here.
   */
  static String readSignatureName(byte[] body) {
    Map<?, ?> root = PredictRequestReader.requestObject(body);
    String signatureName = PredictRequestReader.signatureName(root);
    if (root.containsKey("context")) {
      checkExample(root.get("context"));
    }
    Object examples = root.get("examples");
    if (examples == null) {
      // TensorFlow Serving says "classify" for Regress as well.
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(root)
          + " When method is classify, key 'examples' is expected and was not found");
    }
    if (!(examples instanceof List<?> list)) {
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(root) + " Expecting 'examples' value to be an list/array");
    }
    if (list.isEmpty()) {
      throw ServingException.invalid("JSON Value: " + JsonTree.debug(root) + " 'examples' value is an empty array");
    }
    list.forEach(ClassifyRegress::checkExample);
    return signatureName;
  }

  private static void checkExample(Object example) {
    if (!(example instanceof Map<?, ?> features)) {
      throw ServingException.invalid("Example must be JSON object but got JSON " + JsonTree.typeName(example));
    }
    features.forEach((name, content) -> {
      if (content instanceof List<?> values) {
        values.forEach(value -> checkFeatureValue(name, value));
      } else {
        checkFeatureValue(name, content);
      }
    });
  }

  private static void checkFeatureValue(Object name, Object value) {
    if (value == JsonTree.NULL || value instanceof List || JsonTree.isNamedObject(value)) {
      throw ServingException.invalid("Feature: " + name + " has element with unexpected JSON type: " + JsonTree.typeName(value));
    }
  }
}
