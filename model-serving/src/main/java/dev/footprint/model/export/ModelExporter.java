package dev.footprint.model.export;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;
import dev.footprint.model.runtime.NativeLibraries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the Fahrenheit to Celsius model as a SavedModel in TensorFlow Serving's layout,
 * {@code <base>/<name>/<version>/saved_model.pb}:
 *
 * <pre>
 * java -cp model-serving.jar dev.footprint.model.export.ModelExporter formula --base models [--name model] [--version 1]
 * ... ModelExporter linear  --weight 0.5556 --bias -17.78 --base models
 * ... ModelExporter train   [--samples pairs.csv] [--steps 500] [--learning-rate 0.1] --base models
 * </pre>
 *
 * {@code formula} is the closed form; {@code linear} a weight and a bias given by hand; {@code train}
 * fits them to Fahrenheit,Celsius pairs (a CSV file, or the Keras tutorial's seven pairs) by gradient
 * descent. Without {@code --version} the next free version is used; an existing version is only
 * overwritten with {@code --replace}. The version appears in one atomic rename.
 */
public final class ModelExporter {
  private static final Set<String> MODES = Set.of("formula", "linear", "train");
  private static final Set<String> FLAGS = Set.of("--replace");
  private static final Set<String> OPTIONS = Set.of("--base", "--name", "--version", "--weight", "--bias",
      "--samples", "--steps", "--learning-rate");

  private ModelExporter() {
  }

  public static void main(String[] args) {
    try {
      System.out.println(run(args));
    } catch (UsageException | ConfigException e) {
      System.err.println("ModelExporter: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
    } catch (IOException | RuntimeException e) {
      System.err.println("ModelExporter: export failed: " + e);
      System.exit(1);
    }
  }

  /** Exports as {@code args} say and returns a one-line summary. */
  public static String run(String... args) throws IOException {
    if (args.length == 0 || !MODES.contains(args[0])) {
      throw new UsageException("first argument must be one of formula, linear, train");
    }
    String mode = args[0];
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    for (int i = 1; i < args.length; i++) {
      if (FLAGS.contains(args[i])) {
        flags.add(args[i]);
      } else if (OPTIONS.contains(args[i]) && i + 1 < args.length) {
        options.put(args[i], args[++i]);
      } else {
        throw new UsageException("unexpected argument " + args[i]);
      }
    }
    String base = options.get("--base");
    if (base == null) {
      throw new UsageException("--base <folder> is required");
    }
    String name = options.getOrDefault("--name", "model");
    if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
      throw new UsageException("--name must be letters, digits, '.', '_' or '-', got " + name);
    }
    Path modelDir = Path.of(base).resolve(name);
    long version = options.containsKey("--version")
        ? parseLong("--version", options.get("--version"), 1)
        : VersionPublisher.nextVersion(modelDir);

    Path nativeLibraries = NativeLibraries.locate(Env.system());
    if (nativeLibraries != null) {
      NativeLibraries.use(nativeLibraries);
    }
    String formula;
    VersionPublisher.Writer writer;
    switch (mode) {
      case "formula" -> {
        formula = "celsius = (fahrenheit - 32) * 5/9";
        writer = TemperatureModels::exportFormula;
      }
      case "linear" -> {
        float weight = parseFloat("--weight", required(options, "--weight"));
        float bias = parseFloat("--bias", required(options, "--bias"));
        formula = "celsius = fahrenheit * " + weight + " + " + bias;
        writer = dir -> TemperatureModels.exportLinear(dir, weight, bias);
      }
      default -> {
        float[][] pairs = options.containsKey("--samples")
            ? readPairs(Path.of(options.get("--samples")))
            : new float[][] {LinearFit.SAMPLE_FAHRENHEIT, LinearFit.SAMPLE_CELSIUS};
        int steps = (int) parseLong("--steps", options.getOrDefault("--steps", "500"), 1);
        float rate = parseFloat("--learning-rate", options.getOrDefault("--learning-rate", "0.1"));
        LinearFit.Fitted fitted = LinearFit.fit(pairs[0], pairs[1], steps, rate);
        formula = "celsius = fahrenheit * " + fitted.weight() + " + " + fitted.bias()
            + " (fitted to " + pairs[0].length + " pairs in " + steps + " steps, mean squared error " + fitted.loss() + ")";
        writer = dir -> TemperatureModels.exportLinear(dir, fitted.weight(), fitted.bias());
      }
    }
    Path written = VersionPublisher.publish(modelDir, version, flags.contains("--replace"), writer);
    return "exported model " + name + " version " + version + " to " + written.toAbsolutePath() + ": " + formula;
  }

  /** Fahrenheit,Celsius per line; blank lines and lines starting with # are skipped. */
  static float[][] readPairs(Path file) throws IOException {
    List<float[]> pairs = new ArrayList<>();
    int lineNumber = 0;
    for (String line : Files.readAllLines(file)) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split(",");
      if (parts.length != 2) {
        throw new UsageException(file + ":" + lineNumber + ": expected fahrenheit,celsius, got " + trimmed);
      }
      pairs.add(new float[] {parseFloat(file + ":" + lineNumber, parts[0].strip()), parseFloat(file + ":" + lineNumber, parts[1].strip())});
    }
    float[][] columns = new float[2][pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      columns[0][i] = pairs.get(i)[0];
      columns[1][i] = pairs.get(i)[1];
    }
    return columns;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new UsageException(name + " is required for this mode");
    }
    return value;
  }

  private static long parseLong(String name, String value, long min) {
    try {
      long parsed = Long.parseLong(value);
      if (parsed >= min) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new UsageException(name + " must be an integer >= " + min + ", got " + value);
  }

  private static float parseFloat(String name, String value) {
    try {
      float parsed = Float.parseFloat(value);
      if (Float.isFinite(parsed)) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new UsageException(name + " must be a finite number, got " + value);
  }

  static String usage() {
    return """
        usage: ModelExporter formula|linear|train --base <folder> [--name model] [--version N] [--replace]
                 linear: --weight W --bias B
                 train:  [--samples pairs.csv] [--steps 500] [--learning-rate 0.1]""";
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
