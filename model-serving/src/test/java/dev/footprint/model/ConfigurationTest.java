package dev.footprint.model;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;
import dev.footprint.model.repository.VersionLabels;
import dev.footprint.model.repository.VersionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every variable is validated with a one-line message naming it; policies select as TensorFlow Serving's do. */
class ConfigurationTest {

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "MODEL_VERSION_POLICY | newest   | MODEL_VERSION_POLICY=\"newest\" is invalid: expected latest, latest:<N>, all or specific:<v>[,<v>...]",
      "MODEL_VERSION_POLICY | latest:0 | MODEL_VERSION_POLICY=\"latest:0\" is invalid",
      "MODEL_NAME           | a/b      | MODEL_NAME=\"a/b\" is invalid",
      "MODEL_POLL_SECONDS   | -1       | MODEL_POLL_SECONDS=\"-1\" is invalid: expected an integer in 0..86400",
      "BATCH_MAX_SIZE       | 0        | BATCH_MAX_SIZE=\"0\" is invalid",
      "BATCHING_ENABLED     | maybe    | BATCHING_ENABLED=\"maybe\" is invalid: expected true or false",
      "MODEL_VERSION_LABELS | stable   | MODEL_VERSION_LABELS=\"stable\" is invalid",
      "MODEL_VERSION_LABELS | other:stable=1 | MODEL_VERSION_LABELS=\"other:stable=1\" is invalid: expected labels of served models only",
      "TF_NATIVE_LIBRARY_DIR | /nonexistent | TF_NATIVE_LIBRARY_DIR=\"/nonexistent\" is invalid: expected a folder holding libtensorflow_cc.so.2",
  })
  void badValuesNameTheVariable(String variable, String value, String message) {
    assertThatThrownBy(() -> ModelServingApp.SPEC.factory().apply(Env.of(Map.of(variable, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void policiesSelectLikeTensorFlowServing() {
    TreeSet<Long> onDisk = new TreeSet<>(List.of(1L, 2L, 5L, 9L));
    assertThat(VersionPolicy.latest().select(onDisk)).containsExactly(9L);
    assertThat(VersionPolicy.parse("P", "latest:2").select(onDisk)).containsExactly(5L, 9L);
    assertThat(VersionPolicy.parse("P", "all").select(onDisk)).containsExactly(1L, 2L, 5L, 9L);
    assertThat(VersionPolicy.parse("P", "specific:2,3").select(onDisk)).containsExactly(2L);
  }

  @Test
  void labelsApplyToEveryModelOrToOne() {
    VersionLabels labels = VersionLabels.parse("L", "stable=1, canary=2, other:stable=7", List.of("model", "other"));
    assertThat(labels.version("model", "stable")).isEqualTo(1L);
    assertThat(labels.version("other", "stable")).isEqualTo(7L);
    assertThat(labels.version("other", "canary")).isEqualTo(2L);
    assertThat(labels.version("model", "beta")).isNull();
  }
}
