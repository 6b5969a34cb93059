package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.servable.TensorSpec;

import java.util.List;

/**
 * TensorFlow Serving's predict answers, written by hand: {@code {"predictions": ...}} for the row
 * format (one output: its values per instance; several: an object per instance) and
 * {@code {"outputs": ...}} for the columnar format (one output: its tensor; several: an object of
 * tensors). A bare scalar request gets a scalar back.
 */
final class PredictResponses {
  private PredictResponses() {
  }

  static String write(InferenceTask task, PredictRequestReader.Format format, boolean scalar) {
    List<TensorSpec> outputs = task.signature().outputs();
    StringBuilder out = new StringBuilder(32 + 16 * task.rows() * outputs.size());
    if (format == PredictRequestReader.Format.ROW) {
      out.append("{\"predictions\":");
      if (outputs.size() == 1) {
        JsonOut.nested(out, task.outputValues(0), 0, task.outputShape(0), 0);
      } else {
        rowObjects(task, outputs, out);
      }
    } else {
      out.append("{\"outputs\":");
      if (outputs.size() == 1) {
        tensor(task, 0, scalar, out);
      } else {
        out.append('{');
        for (int i = 0; i < outputs.size(); i++) {
          out.append(i == 0 ? "" : ",");
          JsonOut.string(out, outputs.get(i).alias());
          out.append(':');
          tensor(task, i, scalar, out);
        }
        out.append('}');
      }
    }
    return out.append('}').toString();
  }

  private static void tensor(InferenceTask task, int index, boolean scalar, StringBuilder out) {
    long[] shape = task.outputShape(index);
    float[] values = task.outputValues(index);
    if (scalar && shape.length == 1 && shape[0] == 1) {
      JsonOut.number(out, values[0]);
    } else {
      JsonOut.nested(out, values, 0, shape, 0);
    }
  }

  private static void rowObjects(InferenceTask task, List<TensorSpec> outputs, StringBuilder out) {
    int rows = task.rows();
    float[][] values = new float[outputs.size()][];
    long[][] shapes = new long[outputs.size()][];
    int[] rowSizes = new int[outputs.size()];
    for (int i = 0; i < outputs.size(); i++) {
      values[i] = task.outputValues(i);
      shapes[i] = task.outputShape(i);
      if (shapes[i].length == 0 || shapes[i][0] != rows) {
        throw ServingException.invalid("Tensor name: " + outputs.get(i).alias() + " has inconsistent batch size: "
            + (shapes[i].length == 0 ? 0 : shapes[i][0]) + " expecting: " + rows);
      }
      rowSizes[i] = (int) (TensorJson.count(shapes[i]) / rows);
    }
    out.append('[');
    for (int r = 0; r < rows; r++) {
      out.append(r == 0 ? "{" : ",{");
      for (int i = 0; i < outputs.size(); i++) {
        out.append(i == 0 ? "" : ",");
        JsonOut.string(out, outputs.get(i).alias());
        out.append(':');
        JsonOut.nested(out, values[i], r * rowSizes[i], shapes[i], 1);
      }
      out.append('}');
    }
    out.append(']');
  }
}
