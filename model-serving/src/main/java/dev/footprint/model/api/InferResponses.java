package dev.footprint.model.api;

import dev.footprint.model.engine.InferenceTask;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Open Inference Protocol (KServe V2) inference answers, written by hand: JSON, or with the binary
 * tensor data extension a JSON header followed by the outputs asked for in binary (FP32
 * little-endian, row-major, in the order the header lists them), with {@code Inference-Header-Content-Length}
 * and {@code Content-Type: application/octet-stream} as Triton answers.
 *
 * <p>The JSON is always valid JSON (RFC 8259): a non-finite value is the string {@code "NaN"},
 * {@code "Infinity"} or {@code "-Infinity"}, as proto3's JSON mapping writes a float, and not the bare
 * token TensorFlow Serving's REST API (and Triton) write. In binary, every value is carried exactly.
 */
final class InferResponses {
  static final String OCTET_STREAM = "application/octet-stream";

  private InferResponses() {
  }

  static void send(RoutingContext ctx, InferenceTask task, String model, long version, InferRequestReader.Parsed parsed) {
    boolean[] binary = parsed.binary();
    StringBuilder out = new StringBuilder(64 + (binary == null ? 16 * task.rows() : 0)).append("{\"model_name\":");
    JsonOut.string(out, model);
    out.append(",\"model_version\":\"").append(version).append('"');
    if (parsed.id() != null) {
      out.append(",\"id\":");
      JsonOut.string(out, parsed.id());
    }
    out.append(",\"outputs\":[");
    long binaryBytes = 0;
    for (int i = 0; i < parsed.outputs().size(); i++) {
      int index = parsed.outputs().get(i);
      out.append(i == 0 ? "{\"name\":" : ",{\"name\":");
      JsonOut.string(out, task.signature().outputs().get(index).alias());
      out.append(",\"datatype\":\"FP32\",\"shape\":");
      long[] shape = task.outputShape(index);
      JsonOut.dims(out, shape);
      if (binary != null && binary[i]) {
        long bytes = TensorJson.count(shape) * Float.BYTES;
        out.append(",\"parameters\":{\"binary_data_size\":").append(bytes).append("}}");
        binaryBytes += bytes;
      } else {
        out.append(",\"data\":");
        flat(out, task.outputValues(index));
        out.append('}');
      }
    }
    out.append("]}");
    if (binary == null) {
      InferenceSubmitter.sendJson(ctx, out.toString());
      return;
    }
    if (ctx.response().closed()) {
      return;
    }
    byte[] header = out.toString().getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[Math.toIntExact(header.length + binaryBytes)];
    System.arraycopy(header, 0, body, 0, header.length);
    int at = header.length;
    for (int i = 0; i < parsed.outputs().size(); i++) {
      if (binary[i]) {
        float[] values = task.outputValues(parsed.outputs().get(i));
        ByteBuffer.wrap(body, at, values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        at += values.length * Float.BYTES;
      }
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, OCTET_STREAM)
        .putHeader(InferRequestReader.HEADER_LENGTH, Integer.toString(header.length))
        .end(Buffer.buffer(body));
  }

  /** A flat array of every value, non-finite ones as strings. */
  static void flat(StringBuilder out, float[] values) {
    out.append('[');
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      float value = values[i];
      if (Float.isFinite(value)) {
        out.append(value);
      } else {
        out.append(Float.isNaN(value) ? "\"NaN\"" : value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
      }
    }
    out.append(']');
  }
}
