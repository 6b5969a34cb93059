package dev.footprint.model.api;

import dev.footprint.model.repository.VersionStatus;
import dev.footprint.model.servable.ServableVersion;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The status and metadata bodies, in the JSON TensorFlow Serving prints for GetModelStatusResponse
 * and GetModelMetadataResponse (proto3 JSON with every field, int64 as strings, proto field names).
 */
final class ModelInfoJson {
  private ModelInfoJson() {
  }

  static String status(List<VersionStatus> statuses) {
    StringBuilder out = new StringBuilder("{\"model_version_status\":[");
    for (int i = 0; i < statuses.size(); i++) {
      VersionStatus status = statuses.get(i);
      out.append(i == 0 ? "" : ",").append("{\"version\":\"").append(status.version()).append("\",\"state\":\"")
          .append(status.state()).append("\",\"status\":{\"error_code\":");
      JsonOut.string(out, status.errorCode());
      out.append(",\"error_message\":");
      JsonOut.string(out, status.errorMessage());
      out.append("}}");
    }
    return out.append("]}").toString();
  }

  static String metadata(ServableVersion version) {
    StringBuilder out = new StringBuilder(1024);
    out.append("{\"model_spec\":{\"name\":");
    JsonOut.string(out, version.model());
    out.append(",\"signature_name\":\"\",\"version\":\"").append(version.version()).append("\"},");
    out.append("\"metadata\":{\"signature_def\":{\"signature_def\":{");
    boolean first = true;
    for (Map.Entry<String, SignatureDef> entry : new TreeMap<>(version.metaGraphDef().getSignatureDefMap()).entrySet()) {
      out.append(first ? "" : ",");
      JsonOut.string(out, entry.getKey());
      out.append(':');
      signature(entry.getValue(), out);
      first = false;
    }
    return out.append("}}}}").toString();
  }

  private static void signature(SignatureDef def, StringBuilder out) {
    out.append("{\"inputs\":");
    tensors(def.getInputsMap(), out);
    out.append(",\"outputs\":");
    tensors(def.getOutputsMap(), out);
    out.append(",\"method_name\":");
    JsonOut.string(out, def.getMethodName());
    out.append(",\"defaults\":{");
    boolean first = true;
    for (var entry : new TreeMap<>(def.getDefaultsMap()).entrySet()) {
      out.append(first ? "" : ",");
      JsonOut.string(out, entry.getKey());
      out.append(":{\"dtype\":\"").append(entry.getValue().getDtype().name()).append("\",\"tensor_shape\":");
      shape(entry.getValue().getTensorShape(), out);
      out.append('}');
      first = false;
    }
    out.append("}}");
  }

  private static void tensors(Map<String, TensorInfo> tensors, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, TensorInfo> entry : new TreeMap<>(tensors).entrySet()) {
      TensorInfo info = entry.getValue();
      out.append(first ? "" : ",");
      JsonOut.string(out, entry.getKey());
      out.append(":{\"dtype\":\"").append(dtypeName(info)).append("\",\"tensor_shape\":");
      shape(info.getTensorShape(), out);
      out.append(",\"name\":");
      JsonOut.string(out, info.getName());
      out.append('}');
      first = false;
    }
    out.append('}');
  }

  private static String dtypeName(TensorInfo info) {
    try {
      return info.getDtype().name();
    } catch (IllegalArgumentException e) {
      return "DT_INVALID";
    }
  }

  private static void shape(TensorShapeProto shape, StringBuilder out) {
    out.append("{\"dim\":[");
    for (int i = 0; i < shape.getDimCount(); i++) {
      var dim = shape.getDim(i);
      out.append(i == 0 ? "" : ",").append("{\"size\":\"").append(dim.getSize()).append("\",\"name\":");
      JsonOut.string(out, dim.getName());
      out.append('}');
    }
    out.append("],\"unknown_rank\":").append(shape.getUnknownRank()).append('}');
  }
}
