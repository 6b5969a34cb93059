package dev.footprint.model.api;

import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;

import java.util.List;

/**
 * A request's input tensors, in signature input order, checked against the signature: values in
 * row-major order, shapes, and the rows (first dimension) the request contributes to a batch.
 *
 * @param scalar   the request gave a bare scalar for a rank-1 input ({@code {"inputs": 212}}): it runs
 *                 as one row and its answer is unwrapped back to a scalar
 * @param stackable every input has {@code rows} as its first dimension and the signature is batchable
 */
public record RequestTensors(float[][] data, long[][] shapes, int rows, boolean stackable, boolean scalar) {

  /** Checks each tensor's shape against its spec and works out the rows; {@code maxRows} caps them. */
  public static RequestTensors of(ServingSignature signature, float[][] data, long[][] shapes, boolean scalar, int maxRows) {
    List<TensorSpec> specs = signature.inputs();
    for (int i = 0; i < specs.size(); i++) {
      checkShape(signature, specs.get(i), shapes[i]);
    }
    long rows = shapes[0].length == 0 ? 1 : shapes[0][0];
    boolean sameRows = true;
    for (long[] shape : shapes) {
      if (shape.length == 0 || shape[0] != rows) {
        sameRows = false;
      }
    }
    if (rows > maxRows) {
      throw new ServingException(413, "the request has " + rows + " instances; the limit is " + maxRows + " (MAX_INSTANCES)");
    }
    boolean stackable = signature.batchable() && sameRows && rows > 0;
    return new RequestTensors(data, shapes, stackable ? (int) rows : 1, stackable, scalar);
  }

  private static void checkShape(ServingSignature signature, TensorSpec spec, long[] shape) {
    long[] dims = spec.dims();
    boolean fits = dims.length == shape.length;
    for (int d = 0; fits && d < dims.length; d++) {
      fits = dims[d] < 0 || dims[d] == shape[d];
    }
    if (!fits) {
      StringBuilder given = new StringBuilder();
      JsonOut.dims(given, shape);
      throw ServingException.invalid("input \"" + spec.alias() + "\" of signature \"" + signature.key() + "\" takes shape "
          + spec.shapeText() + "; the request gives shape " + given);
    }
  }
}
