package dev.footprint.model;

import dev.footprint.core.Http2Listener;
import dev.footprint.core.HttpService;
import dev.footprint.core.ServiceContext;
import dev.footprint.core.WarmupRequest;
import dev.footprint.core.config.Env;
import dev.footprint.core.http.Endpoints;
import dev.footprint.model.api.ApiEndpoints;
import dev.footprint.model.engine.InferenceExecutor;
import dev.footprint.model.grpc.GrpcListener;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.runtime.NativeLibraries;
import dev.footprint.model.runtime.TensorFlowRuntime;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;
import dev.footprint.model.servable.VersionLoader;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The model server: loads TensorFlow and the models (before the listener opens, so "ready" in the
 * log means the models answer), runs inference on its own threads, and serves TensorFlow Serving's
 * REST and gRPC APIs and the Open Inference Protocol over both.
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

  /**
   * A predict request of one row of zeros for each model's latest version, as TensorFlow Serving's
   * REST users send it (WARMUP_SECONDS): the JSON reading and writing warm up with the inference path.
   * The loader has already run each signature once (MODEL_WARMUP); this warms the JVM's side.
   */
  @Override
  public Future<List<WarmupRequest>> warmupRequests() {
    List<WarmupRequest> requests = new ArrayList<>();
    for (String model : repository.modelNames()) {
      ServableVersion version;
      try {
        version = repository.acquire(model, null, null);
      } catch (RuntimeException notServed) {
        continue;
      }
      try {
        ServingSignature signature = version.signature("serving_default");
        if (signature != null) {
          requests.add(WarmupRequest.postJson("/v1/models/" + model + ":predict", zerosRequest(signature)));
        }
      } finally {
        version.release(1);
      }
    }
    return Future.succeededFuture(requests);
  }

  /** {"inputs": {alias: zeros}} (columnar), each unknown dimension 1. */
  static String zerosRequest(ServingSignature signature) {
    JsonObject inputs = new JsonObject();
    for (TensorSpec input : signature.inputs()) {
      inputs.put(input.alias(), zeros(input.dims(), 0));
    }
    return new JsonObject().put("inputs", inputs).encode();
  }

  private static Object zeros(long[] dims, int axis) {
    if (axis == dims.length) {
      return 0.0;
    }
    JsonArray values = new JsonArray();
    for (long i = 0, size = dims[axis] < 0 ? 1 : dims[axis]; i < size; i++) {
      values.add(zeros(dims, axis + 1));
    }
    return values;
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

  /** gRPC on GRPC_PORT beside REST: TensorFlow Serving's and KServe V2's services, and health. */
  @Override
  public List<Http2Listener> http2Listeners(ServiceContext context) {
    return List.of(GrpcListener.create(context, config.grpc(), config, repository, executor));
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
