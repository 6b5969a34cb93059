package dev.footprint.model;

import dev.footprint.core.ServiceLauncher;
import dev.footprint.core.ServiceSpec;
import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;
import dev.footprint.model.runtime.NativeLibraries;
import dev.footprint.model.runtime.TensorFlowRuntime;

/** {@code java -jar model-serving.jar}: the model server on HTTP_PORT (default 8501, TensorFlow Serving's REST port). */
public final class ModelServingApp {
  public static final ServiceSpec SPEC = new ServiceSpec("model-serving", 8501, ModelServingService::new);

  private ModelServingApp() {
  }

  public static void main(String[] args) {
    // TensorFlow takes most of a second to load: start it before Vert.x, so the two overlap. A bad
    // TF_NATIVE_LIBRARY_DIR is left for the launcher to report, in its one line.
    try {
      TensorFlowRuntime.load(NativeLibraries.locate(Env.system()));
    } catch (ConfigException reportedByTheLauncher) {
      // The service's factory throws it again.
    }
    ServiceLauncher.launch(SPEC);
  }
}
