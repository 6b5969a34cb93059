package dev.footprint.model.api;

import dev.footprint.core.ServiceContext;
import dev.footprint.core.http.Endpoints;
import dev.footprint.model.ModelServingConfig;
import dev.footprint.model.engine.InferenceExecutor;
import dev.footprint.model.engine.WakeAfterLoopTurn;
import dev.footprint.model.repository.ModelRepository;
import io.vertx.core.Vertx;

/** Declares both APIs on one event loop, with that loop's own hand-off to the inference executor. */
public final class ApiEndpoints {
  private ApiEndpoints() {
  }

  public static void declare(ServiceContext context, Endpoints endpoints, ModelRepository repository,
                             InferenceExecutor executor, ModelServingConfig config) {
    var loop = Vertx.currentContext();
    if (loop == null) {
      throw new IllegalStateException("endpoints must be declared on their event loop");
    }
    InferenceSubmitter submitter = new InferenceSubmitter(executor, new WakeAfterLoopTurn(loop, executor),
        config.batching().timeoutNanos());
    TfServingApi.declare(endpoints, repository, submitter, config.maxInstances(), config.maxValues());
    OpenInferenceApi.declare(endpoints, context, repository, submitter, config.maxInstances(), config.maxValues());
  }
}
