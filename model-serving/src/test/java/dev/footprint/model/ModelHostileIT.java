package dev.footprint.model;

import dev.footprint.core.testing.HostileClientsContract;
import dev.footprint.core.testing.RawHttp;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile clients against model-serving's jar, with its image's flags under its Deployment's
 * memory; the flood against MAX_CONNECTIONS=300 (its default, from a 64 MiB heap, would need 20,000
 * sockets on the test's side).
 */
class ModelHostileIT extends HostileClientsContract {
  /** Where each start's model base goes; JUnit removes it after the class. */
  @TempDir
  static Path modelDirectories;

  @Override
  protected String service() {
    return "model-serving";
  }

  @Override
  protected Map<String, String> environment() throws IOException {
    Path base = Files.createTempDirectory(modelDirectories, "models");
    TestModels.formula(base, "model", 1);
    return Map.of("MODEL_BASE_PATH", base.toString(), "TF_CPP_MIN_LOG_LEVEL", "1");
  }

  @Override
  protected String wellBehavedRequest() {
    return RawHttp.post("/v1/models/model:predict", "{\"instances\": [212.0]}");
  }

  @Override
  protected void assertRightAnswer(RawHttp.Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"predictions\":[100.0]}");
  }

  @Override
  protected String jsonPath() {
    return "/v1/models/model:predict";
  }

  /**
   * TensorFlow Serving's request reader streams the body, with its own depth limit of 1,000 (see the
   * README's compatibility table): 800 levels are read, and answered as TensorFlow Serving would.
   */
  @Override
  protected void assertDeepJsonAnswer(String body) {
    assertThat(body).containsAnyOf("Is not object", "Missing 'inputs' or 'instances' key");
  }

  @Override
  protected int connectionLimit() {
    return 300;
  }

  @Override
  protected Duration readyTimeout() {
    return Duration.ofSeconds(90);
  }
}
