package dev.footprint.model.servable;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorInfo;

import java.util.Arrays;

/**
 * One input or output of a signature: its alias (the key clients use), the graph tensor behind it,
 * its dtype and its shape ({@code -1} for a dimension of any size; {@code dims == null} for an
 * unknown rank).
 */
public record TensorSpec(String alias, String tensorName, DataType dtype, long[] dims) {

  static TensorSpec of(String alias, TensorInfo info) {
    long[] dims = null;
    if (info.hasTensorShape() && !info.getTensorShape().getUnknownRank()) {
      dims = info.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
    }
    return new TensorSpec(alias, info.getName(), info.getDtype(), dims);
  }

  public int rank() {
    return dims == null ? -1 : dims.length;
  }

  /** True when the first dimension is the batch: any size, so instances can be stacked along it. */
  public boolean batchable() {
    return dims != null && dims.length >= 1 && dims[0] == -1;
  }

  /** [-1,1] style, as TensorFlow Serving prints shapes; [?] for an unknown rank. */
  public String shapeText() {
    if (dims == null) {
      return "[?]";
    }
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      text.append(i == 0 ? "" : ",").append(dims[i]);
    }
    return text.append(']').toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec that && alias.equals(that.alias) && tensorName.equals(that.tensorName)
        && dtype == that.dtype && Arrays.equals(dims, that.dims);
  }

  @Override
  public int hashCode() {
    return alias.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return alias + "(" + tensorName + " " + dtype + " " + shapeText() + ")";
  }
}
