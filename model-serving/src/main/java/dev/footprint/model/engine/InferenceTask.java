package dev.footprint.model.engine;

import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import io.vertx.core.Context;

import java.util.Arrays;

/**
 * One request's inputs on their way through the inference executor, and its answer on the way back.
 * Created and completed on the request's event loop; filled in by an inference thread in between
 * (the hand-offs through the executor's queue and {@link Context#runOnContext} order the writes).
 */
public final class InferenceTask {
  /** Called on the request's own event loop when the task has an answer or has failed. */
  @FunctionalInterface
  public interface Listener {
    void done(InferenceTask task);
  }

  final ServableVersion version;
  final ServingSignature signature;
  final float[][] inputs;
  final long[][] shapes;
  final int rows;
  final boolean stackable;
  final Context context;
  final long deadlineNanos;
  private final Listener listener;

  private ServingSignature.Outputs outputs;
  private int firstRow;
  private int failureStatus;
  private String failureMessage;

  /**
   * @param inputs    per signature input, its values in row-major order
   * @param shapes    per signature input, its full shape
   * @param stackable true when every input's first dimension is {@code rows} and the signature is
   *                  batchable: then the task can share a session call with others
   */
  public InferenceTask(ServableVersion version, ServingSignature signature, float[][] inputs, long[][] shapes,
                       int rows, boolean stackable, Context context, long deadlineNanos, Listener listener) {
    this.version = version;
    this.signature = signature;
    this.inputs = inputs;
    this.shapes = shapes;
    this.rows = rows;
    this.stackable = stackable;
    this.context = context;
    this.deadlineNanos = deadlineNanos;
    this.listener = listener;
  }

  public ServableVersion version() {
    return version;
  }

  public ServingSignature signature() {
    return signature;
  }

  public int rows() {
    return rows;
  }

  /** Null until done; then the outputs of the session call this task was part of. */
  public ServingSignature.Outputs outputs() {
    return outputs;
  }

  /** This task's first row in {@link #outputs()} (0 unless it shared a session call). */
  public int firstRow() {
    return firstRow;
  }

  public boolean failed() {
    return failureStatus != 0;
  }

  public int failureStatus() {
    return failureStatus;
  }

  public String failureMessage() {
    return failureMessage;
  }

  /** The values of output {@code index} that belong to this task. */
  public float[] outputValues(int index) {
    float[] all = outputs.values()[index];
    if (!stackable || (firstRow == 0 && outputs.shapes()[index].length > 0 && outputs.shapes()[index][0] == rows)) {
      return all;
    }
    int perRow = rowSize(outputs.shapes()[index]);
    return Arrays.copyOfRange(all, firstRow * perRow, (firstRow + rows) * perRow);
  }

  /** The shape of output {@code index} for this task: its rows, then the output's inner dimensions. */
  public long[] outputShape(int index) {
    long[] shape = outputs.shapes()[index].clone();
    if (stackable && shape.length > 0) {
      shape[0] = rows;
    }
    return shape;
  }

  static int rowSize(long[] shape) {
    long size = 1;
    for (int d = 1; d < shape.length; d++) {
      size *= shape[d];
    }
    return (int) size;
  }

  void succeed(ServingSignature.Outputs outputs, int firstRow) {
    this.outputs = outputs;
    this.firstRow = firstRow;
  }

  void fail(int status, String message) {
    this.failureStatus = status;
    this.failureMessage = message;
  }

  void notifyListener() {
    listener.done(this);
  }

  /** Same signature, same inner dimensions: can share one session call. */
  boolean stacksWith(InferenceTask other) {
    if (!stackable || !other.stackable || signature != other.signature) {
      return false;
    }
    for (int i = 0; i < shapes.length; i++) {
      long[] a = shapes[i];
      long[] b = other.shapes[i];
      if (a.length != b.length) {
        return false;
      }
      for (int d = 1; d < a.length; d++) {
        if (a[d] != b[d]) {
          return false;
        }
      }
    }
    return true;
  }
}
