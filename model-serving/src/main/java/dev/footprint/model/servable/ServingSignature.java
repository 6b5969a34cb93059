package dev.footprint.model.servable;

import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * A signature this server can run: float32 inputs and outputs of known rank, their graph tensors
 * resolved once at load so a call only feeds and fetches.
 *
 * <p>{@code batchable}: every input and output has the batch as its first dimension, so requests
 * can be stacked along it into one session call and the outputs split back by rows.
 */
public final class ServingSignature {
  private final String key;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final Output<?>[] feeds;
  private final Output<?>[] fetches;
  private final boolean batchable;
  private final Session session;

  ServingSignature(String key, List<TensorSpec> inputs, List<TensorSpec> outputs, Output<?>[] feeds,
                   Output<?>[] fetches, Session session) {
    this.key = key;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.feeds = feeds;
    this.fetches = fetches;
    this.session = session;
    this.batchable = inputs.stream().allMatch(TensorSpec::batchable) && outputs.stream().allMatch(TensorSpec::batchable);
  }

  public String key() {
    return key;
  }

  public List<TensorSpec> inputs() {
    return inputs;
  }

  public List<TensorSpec> outputs() {
    return outputs;
  }

  public boolean batchable() {
    return batchable;
  }

  public int inputIndex(String alias) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).alias().equals(alias)) {
        return i;
      }
    }
    return -1;
  }

  public int outputIndex(String alias) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).alias().equals(alias)) {
        return i;
      }
    }
    return -1;
  }

  /** Every output's index, in signature order: what a request that names no outputs gets. */
  public int[] allOutputs() {
    int[] all = new int[outputs.size()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /**
   * One session call. {@code data[i]} holds input i's values in row-major order, {@code shapes[i]}
   * its shape. Blocking and native: call it from an inference thread, never from an event loop.
   */
  public Outputs run(float[][] data, long[][] shapes) {
    TFloat32[] tensors = new TFloat32[feeds.length];
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < feeds.length; i++) {
        TFloat32 tensor = TFloat32.tensorOf(Shape.of(shapes[i]));
        tensors[i] = tensor;
        tensor.asRawTensor().data().asFloats().write(data[i], 0, (int) tensor.size());
        runner.feed(feeds[i], tensor);
      }
      for (Output<?> fetch : fetches) {
        runner.fetch(fetch);
      }
      try (Result result = runner.run()) {
        float[][] values = new float[fetches.length][];
        long[][] outputShapes = new long[fetches.length][];
        for (int i = 0; i < fetches.length; i++) {
          Tensor tensor = result.get(i);
          if (!(tensor instanceof TFloat32 floats)) {
            throw new IllegalStateException("output " + outputs.get(i).alias() + " is " + tensor.dataType() + ", not DT_FLOAT");
          }
          outputShapes[i] = floats.shape().asArray();
          values[i] = new float[(int) floats.size()];
          floats.asRawTensor().data().asFloats().read(values[i]);
        }
        return new Outputs(values, outputShapes);
      }
    } finally {
      for (TFloat32 tensor : tensors) {
        if (tensor != null) {
          tensor.close();
        }
      }
    }
  }

  /** The outputs of one call, in signature order: values row-major, and shapes. */
  public record Outputs(float[][] values, long[][] shapes) {
  }

  @Override
  public String toString() {
    return key + " " + inputs + " -> " + outputs;
  }
}
