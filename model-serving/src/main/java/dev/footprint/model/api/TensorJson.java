package dev.footprint.model.api;

import dev.footprint.model.ServingException;

import java.util.ArrayList;
import java.util.List;

/**
 * A JSON value (scalar or nested lists) read as a dense float32 tensor, with TensorFlow Serving's
 * rules and messages (json_tensor.cc): the shape comes from the first element at each level, every
 * list at a level must have that size, every leaf must be a number at the deepest level.
 */
final class TensorJson {
  private TensorJson() {
  }

  /** The dense shape of {@code value}, read along the first elements. */
  static long[] shape(Object value) {
    List<Long> dims = new ArrayList<>();
    Object current = value;
    while (current instanceof List<?> list) {
      dims.add((long) list.size());
      if (list.isEmpty()) {
        break;
      }
      current = list.get(0);
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }

  static long count(long[] shape) {
    long count = 1;
    for (long dim : shape) {
      count *= dim;
    }
    return count;
  }

  /** Appends {@code value}'s leaves to {@code out} from {@code offset}, checking it is dense with {@code shape}; returns the new offset. */
  static int fill(Object value, int level, long[] shape, float[] out, int offset) {
    if (!(value instanceof List<?> list)) {
      if (level != shape.length) {
        throw ServingException.invalid("JSON Value: " + JsonTree.debug(value) + " found at incorrect level: " + (level + 1)
            + " in the JSON DOM. Expected at level: " + shape.length);
      }
      if (!(value instanceof Double number)) {
        throw ServingException.invalid("JSON Value: " + JsonTree.debug(value) + " Type: " + JsonTree.typeName(value)
            + " is not of expected type: float");
      }
      out[offset] = number.floatValue();
      return offset + 1;
    }
    if (level >= shape.length) {
      throw ServingException.invalid("Encountered list at unexpected level: " + level + " expected < " + shape.length);
    }
    if (list.size() != shape[level]) {
      throw ServingException.invalid("Encountered list at unexpected size: " + list.size() + " at level: " + level
          + " expected size: " + shape[level]);
    }
    int next = offset;
    for (Object element : list) {
      next = fill(element, level + 1, shape, out, next);
    }
    return next;
  }

  /** {@code value} as a dense tensor: its shape and values. */
  static float[] values(Object value, long[] shape, int maxValues) {
    long count = count(shape);
    if (count > maxValues) {
      throw new ServingException(413, "a tensor of " + count + " values is over the limit of " + maxValues + " values");
    }
    float[] values = new float[(int) count];
    fill(value, 0, shape, values, 0);
    return values;
  }
}
