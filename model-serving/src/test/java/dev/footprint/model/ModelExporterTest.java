package dev.footprint.model;

import dev.footprint.model.export.LinearFit;
import dev.footprint.model.export.ModelExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The exporter's three modes write SavedModels in TensorFlow Serving's layout that TensorFlow loads back. */
class ModelExporterTest {
  @TempDir
  Path base;

  @Test
  void formulaWritesTheServingLayoutWithTheSignature() throws Exception {
    String summary = ModelExporter.run("formula", "--base", base.toString());
    assertThat(summary).contains("exported model model version 1");
    Path version = base.resolve("model/1");
    assertThat(version.resolve("saved_model.pb")).isRegularFile();
    try (SavedModelBundle bundle = SavedModelBundle.load(version.toString(), "serve")) {
      var signature = bundle.metaGraphDef().getSignatureDefMap().get("serving_default");
      assertThat(signature.getInputsMap()).containsOnlyKeys("fahrenheit");
      assertThat(signature.getOutputsMap()).containsOnlyKeys("celsius");
      assertThat(signature.getInputsMap().get("fahrenheit").getTensorShape().getDim(0).getSize()).isEqualTo(-1);
      assertThat(call(bundle, 212f, -40f)).containsExactly(100f, -40f);
    }
    // Without --version the next one is taken; an existing one is not overwritten without --replace.
    assertThat(ModelExporter.run("formula", "--base", base.toString())).contains("version 2");
    assertThatThrownBy(() -> ModelExporter.run("formula", "--base", base.toString(), "--version", "1"))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(ModelExporter.run("formula", "--base", base.toString(), "--version", "1", "--replace")).contains("version 1");
    try (var listing = Files.list(base.resolve("model"))) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "2");
    }
  }

  @Test
  void linearHoldsItsWeightAndBiasAsVariables() throws Exception {
    ModelExporter.run("linear", "--base", base.toString(), "--name", "shifted", "--version", "7", "--weight", "2", "--bias", "1.5");
    try (SavedModelBundle bundle = SavedModelBundle.load(base.resolve("shifted/7").toString(), "serve")) {
      assertThat(call(bundle, 10f, -1f)).containsExactly(21.5f, -0.5f);
    }
  }

  @Test
  void trainFitsTheConversionByGradientDescent() throws Exception {
    LinearFit.Fitted fitted = LinearFit.fit(LinearFit.SAMPLE_FAHRENHEIT, LinearFit.SAMPLE_CELSIUS, 500, 0.1f);
    assertThat((double) fitted.weight()).isCloseTo(5.0 / 9, within(1e-3));
    assertThat((double) fitted.bias()).isCloseTo(-160.0 / 9, within(0.05));

    Path samples = base.resolve("pairs.csv");
    Files.writeString(samples, "# fahrenheit,celsius\n212,100\n32,0\n-40,-40\n\n98.6,37\n");
    String summary = ModelExporter.run("train", "--base", base.toString(), "--samples", samples.toString(), "--steps", "300");
    assertThat(summary).contains("fitted to 4 pairs in 300 steps");
    try (SavedModelBundle bundle = SavedModelBundle.load(base.resolve("model/1").toString(), "serve")) {
      float[] answers = call(bundle, 212f, 32f);
      assertThat(answers[0]).isCloseTo(100f, within(0.05f));
      assertThat(answers[1]).isCloseTo(0f, within(0.05f));
    }
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> ModelExporter.run("predict", "--base", "x")).hasMessageContaining("formula, linear, train");
    assertThatThrownBy(() -> ModelExporter.run("formula")).hasMessageContaining("--base <folder> is required");
    assertThatThrownBy(() -> ModelExporter.run("linear", "--base", base.toString(), "--weight", "1"))
        .hasMessageContaining("--bias is required");
    assertThatThrownBy(() -> ModelExporter.run("formula", "--base", base.toString(), "--version", "0"))
        .hasMessageContaining("--version must be an integer >= 1");
    assertThatThrownBy(() -> ModelExporter.run("formula", "--base", base.toString(), "--name", "../up"))
        .hasMessageContaining("--name must be");
  }

  private static float[] call(SavedModelBundle bundle, float... fahrenheit) {
    try (TFloat32 input = TFloat32.vectorOf(fahrenheit);
         Result result = bundle.call(Map.of("fahrenheit", input))) {
      TFloat32 output = (TFloat32) result.get("celsius").orElseThrow();
      float[] values = new float[fahrenheit.length];
      for (int i = 0; i < values.length; i++) {
        values[i] = output.getFloat(i);
      }
      return values;
    }
  }
}
