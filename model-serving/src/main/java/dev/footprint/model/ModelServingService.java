package dev.footprint.model;

import dev.footprint.core.HttpService;
import dev.footprint.core.ServiceContext;
import dev.footprint.core.config.Env;
import dev.footprint.core.http.Endpoints;
import dev.footprint.model.api.ApiEndpoints;
import dev.footprint.model.engine.InferenceExecutor;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.runtime.NativeLibraries;
import dev.footprint.model.runtime.TensorFlowRuntime;
import dev.footprint.model.servable.VersionLoader;
import io.vertx.core.Future;

import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The model server: loads TensorFlow and the models (before the listener opens, so "ready" in the
 * log means the models answer), runs inference on its own threads, and serves TensorFlow Serving's
 * REST API and the Open Inference Protocol.
 */
public final class ModelServingService implements HttpService {
  private static final Logger LOG = Logger.getLogger(ModelServingService.class.getName());

  private final ModelServingConfig config;
  private final Path nativeLibraries;
  private ModelRepository repository;
  private InferenceExecutor executor;

  /** Reads the configuration only; TensorFlow loads in {@link #start} (or earlier, from main). */
  public ModelServingService(Env env) {
    this.config = ModelServingConfig.from(env);
    this.nativeLibraries = NativeLibraries.locate(env);
  }

  @Override
  public Future<Void> start(ServiceContext context) {
    var readiness = context.readiness().register(ModelRepository.READINESS_CHECK, "loading models");
    var tensorFlow = TensorFlowRuntime.load(nativeLibraries);
    return context.vertx().executeBlocking(() -> {
      tensorFlow.join();
      VersionLoader loader = new VersionLoader(config.interOpThreads(), config.intraOpThreads(), config.warmup(),
          config.batching().maxBatchRows());
      executor = new InferenceExecutor(config.batching(), context.meterRegistry());
      repository = new ModelRepository(config.repository(), loader, readiness, context.meterRegistry());
      LOG.info(() -> "serving " + config.repository().models() + " from " + config.repository().basePath()
          + " (policy " + config.repository().policy() + ", poll every " + config.repository().pollSeconds() + " s), batching "
          + (config.batching().maxBatchRows() > 1 ? "up to " + config.batching().maxBatchRows() + " rows" : "off")
          + " on " + config.batching().threads() + " inference thread(s)");
      repository.start();
      return null;
    });
  }

  /** Models come from the file system; nothing is fetched over the network. */
  @Override
  public boolean looksUpHostNames() {
    return false;
  }

  @Override
  public Map<String, Object> openApiValues() {
    return Map.of("MAX_INSTANCES", config.maxInstances(), "MAX_TENSOR_VALUES", config.maxValues());
  }

  @Override
  public void endpoints(ServiceContext context, Endpoints endpoints) {
    ApiEndpoints.declare(context, endpoints, repository, executor, config);
  }

  @Override
  public Future<Void> stop() {
    if (executor != null) {
      executor.close();
    }
    if (repository != null) {
      repository.close();
    }
    return Future.succeededFuture();
  }
}
