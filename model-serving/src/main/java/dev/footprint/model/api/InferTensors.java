package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.util.List;

/**
 * The Open Inference Protocol's checks of a request's tensors by name and shape, with their messages,
 * shared by its REST reader and its gRPC service so that both answer alike.
 */
public final class InferTensors {
  private InferTensors() {
  }

  /** The signature input {@code name} is, not yet in {@code given}; else the 400 saying which is wrong. */
  public static int input(ServingSignature signature, String name, float[][] given) {
    int index = signature.inputIndex(name);
    if (index < 0) {
      throw ServingException.invalid("unexpected inference input '" + name + "': the model's inputs are " + names(signature.inputs()));
    }
    if (given[index] != null) {
      throw ServingException.invalid("input '" + name + "' is given twice");
    }
    return index;
  }

  /** Every signature input has values in {@code given}; else the 400 naming the first missing. */
  public static void allGiven(ServingSignature signature, float[][] given) {
    for (int i = 0; i < given.length; i++) {
      if (given[i] == null) {
        throw ServingException.invalid("missing inference input '" + signature.inputs().get(i).alias() + "'");
      }
    }
  }

  /** The signature output {@code name} is; else the 400 listing the model's outputs. */
  public static int output(ServingSignature signature, String name) {
    int index = signature.outputIndex(name);
    if (index < 0) {
      throw ServingException.invalid("unexpected inference output '" + name + "': the model's outputs are "
          + names(signature.outputs()));
    }
    return index;
  }

  /** The values a shape holds; Long.MAX_VALUE past that, so a shape whose product wraps around is over every limit. */
  public static long count(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count = dim == 0 ? 0 : count > Long.MAX_VALUE / dim ? Long.MAX_VALUE : count * dim;
    }
    return count;
  }

  /** A shape as the messages print it: [2,3]. */
  public static String dims(long[] shape) {
    StringBuilder out = new StringBuilder();
    JsonOut.dims(out, shape);
    return out.toString();
  }

  static String names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::alias).toList().toString();
  }
}
