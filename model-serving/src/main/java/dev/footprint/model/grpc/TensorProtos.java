package dev.footprint.model.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.footprint.model.ServingException;
import dev.footprint.model.api.InferTensors;
import dev.footprint.model.grpc.wire.tensorflow.DataType;
import dev.footprint.model.grpc.wire.tensorflow.TensorProto;
import dev.footprint.model.grpc.wire.tensorflow.TensorShapeProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * TensorProto to and from a tensor's values (row-major float32) and shape, as TensorFlow reads and
 * writes it (Tensor::FromProto, AsProtoField, AsProtoTensorContent): the values packed little-endian
 * in {@code tensor_content}, or in {@code float_val}, where fewer values than the shape holds are
 * filled out with the last one (one value for a whole tensor) and none at all means zeros.
 */
final class TensorProtos {
  private TensorProtos() {
  }

  record Values(float[] data, long[] shape, boolean packed) {
  }

  /** A request's input {@code alias}, the signature's input number {@code index}. */
  static Values read(TensorProto tensor, String alias, int index, int maxValues) {
    if (tensor.getDtype() != DataType.DT_FLOAT) {
      throw ServingException.invalid("Expects arg[" + index + "] to be float but " + typeName(tensor) + " is provided");
    }
    TensorShapeProto shapeProto = tensor.getTensorShape();
    if (shapeProto.getUnknownRank()) {
      throw parsingError(alias);
    }
    long[] shape = new long[shapeProto.getDimCount()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = shapeProto.getDim(d).getSize();
      if (shape[d] < 0) {
        throw parsingError(alias);
      }
    }
    long count = InferTensors.count(shape);
    if (count > maxValues) {
      throw new ServingException(413, "input '" + alias + "' has " + count + " values; the limit is " + maxValues
          + " (MAX_TENSOR_VALUES)");
    }
    float[] data = new float[(int) count];
    ByteString content = tensor.getTensorContent();
    if (!content.isEmpty()) {
      if (content.size() != count * Float.BYTES) {
        throw parsingError(alias);
      }
      content.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
      return new Values(data, shape, true);
    }
    int given = tensor.getFloatValCount();
    if (given > count) {
      throw parsingError(alias);
    }
    for (int i = 0; i < given; i++) {
      data[i] = tensor.getFloatVal(i);
    }
    if (given > 0 && given < count) {
      Arrays.fill(data, given, data.length, data[given - 1]);
    }
    return new Values(data, shape, false);
  }

  /** {@code packed}: the values in tensor_content (one copy), else in float_val. */
  static TensorProto write(float[] data, long[] shape, boolean packed) {
    TensorShapeProto.Builder shapeProto = TensorShapeProto.newBuilder();
    for (long size : shape) {
      shapeProto.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
    }
    TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shapeProto);
    if (packed) {
      tensor.setTensorContent(littleEndian(data));
    } else {
      for (float value : data) {
        tensor.addFloatVal(value);
      }
    }
    return tensor.build();
  }

  static ByteString littleEndian(float[] data) {
    ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(data);
    return UnsafeByteOperations.unsafeWrap(bytes.array()); // the array is never written again
  }

  private static ServingException parsingError(String alias) {
    return ServingException.invalid("tensor parsing error: " + alias);
  }

  /** TensorFlow's name of a dtype (DataTypeString): float, double, int32, ... */
  private static String typeName(TensorProto tensor) {
    if (tensor.getDtype() == DataType.UNRECOGNIZED) {
      return "unknown dtype " + tensor.getDtypeValue();
    }
    return switch (tensor.getDtype()) {
      case DT_INVALID -> "INVALID";
      case DT_BFLOAT16 -> "bfloat16";
      default -> tensor.getDtype().name().substring(3).toLowerCase(java.util.Locale.ROOT);
    };
  }
}
