package dev.footprint.model.api;

/**
 * Writing JSON by hand, for answers whose shape is known: cheaper than building a tree and encoding
 * it, on the path every prediction takes.
 */
public final class JsonOut {
  private JsonOut() {
  }

  /**
   * A float32 value: the shortest decimal that reads back as the same float ({@code 37.0},
   * {@code 0.5555556}), and {@code NaN}, {@code Infinity}, {@code -Infinity} as TensorFlow Serving
   * writes them.
   */
  public static void number(StringBuilder out, float value) {
    if (Float.isFinite(value)) {
      out.append(value);
    } else if (Float.isNaN(value)) {
      out.append("NaN");
    } else {
      out.append(value > 0 ? "Infinity" : "-Infinity");
    }
  }

  /** Values in row-major order as nested arrays of {@code dims} (from {@code level} on); a scalar for no dims. */
  public static void nested(StringBuilder out, float[] values, int offset, long[] dims, int level) {
    if (level == dims.length) {
      number(out, values[offset]);
      return;
    }
    int size = (int) dims[level];
    int stride = 1;
    for (int d = level + 1; d < dims.length; d++) {
      stride *= (int) dims[d];
    }
    out.append('[');
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        out.append(',');
      }
      nested(out, values, offset + i * stride, dims, level + 1);
    }
    out.append(']');
  }

  public static void dims(StringBuilder out, long[] dims) {
    out.append('[');
    for (int i = 0; i < dims.length; i++) {
      out.append(i == 0 ? "" : ",").append(dims[i]);
    }
    out.append(']');
  }

  /** A JSON string literal, escaped. */
  public static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
