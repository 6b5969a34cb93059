package dev.footprint.model.repository;

import dev.footprint.core.config.Env;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Version labels (TensorFlow Serving's version_labels): MODEL_VERSION_LABELS, comma-separated
 * {@code label=version} entries for every model, or {@code model:label=version} for one model,
 * e.g. {@code stable=1,canary=2}.
 */
public final class VersionLabels {
  private final Map<String, Map<String, Long>> byModel;
  private final Map<String, Long> forAll;

  private VersionLabels(Map<String, Map<String, Long>> byModel, Map<String, Long> forAll) {
    this.byModel = byModel;
    this.forAll = forAll;
  }

  public static VersionLabels none() {
    return new VersionLabels(Map.of(), Map.of());
  }

  public static VersionLabels parse(String variable, String text, List<String> models) {
    Map<String, Map<String, Long>> byModel = new HashMap<>();
    Map<String, Long> forAll = new HashMap<>();
    for (String entry : text.split(",")) {
      String item = entry.strip();
      if (item.isEmpty()) {
        continue;
      }
      int equals = item.indexOf('=');
      if (equals <= 0) {
        throw Env.invalid(variable, text, "[model:]label=version entries separated by commas");
      }
      String left = item.substring(0, equals).strip();
      long version;
      try {
        version = Long.parseLong(item.substring(equals + 1).strip());
      } catch (NumberFormatException e) {
        throw Env.invalid(variable, text, "[model:]label=version entries with numeric versions");
      }
      int colon = left.indexOf(':');
      if (colon < 0) {
        forAll.put(left, version);
      } else {
        String model = left.substring(0, colon);
        if (!models.contains(model)) {
          throw Env.invalid(variable, text, "labels of served models only (MODEL_NAME is " + String.join(",", models) + ")");
        }
        byModel.computeIfAbsent(model, m -> new HashMap<>()).put(left.substring(colon + 1), version);
      }
    }
    return new VersionLabels(byModel, forAll);
  }

  /** The version {@code label} names for {@code model}, or null. */
  public Long version(String model, String label) {
    Map<String, Long> own = byModel.get(model);
    if (own != null && own.containsKey(label)) {
      return own.get(label);
    }
    return forAll.get(label);
  }
}
