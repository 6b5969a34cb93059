package dev.footprint.model;

import dev.footprint.core.config.Env;
import dev.footprint.model.grpc.GrpcConfig;
import dev.footprint.model.engine.BatchingConfig;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.repository.VersionLabels;
import dev.footprint.model.repository.VersionPolicy;
import dev.footprint.model.runtime.AppHome;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The model server's own settings, read from the environment; each is documented in the module
 * README's configuration table.
 */
public record ModelServingConfig(
    ModelRepository.Config repository,
    BatchingConfig batching,
    int maxInstances,
    int maxValues,
    int interOpThreads,
    int intraOpThreads,
    boolean warmup,
    GrpcConfig grpc) {

  public static ModelServingConfig from(Env env) {
    Path base = Path.of(env.string("MODEL_BASE_PATH", AppHome.resolve().resolve("models").toString()))
        .toAbsolutePath().normalize();
    List<String> models = modelNames(env.string("MODEL_NAME", "model"));
    int poll = env.integer("MODEL_POLL_SECONDS", 1, 0, 86_400);
    String policyText = env.raw("MODEL_VERSION_POLICY");
    VersionPolicy policy = policyText == null ? VersionPolicy.latest() : VersionPolicy.parse("MODEL_VERSION_POLICY", policyText);
    String labelText = env.raw("MODEL_VERSION_LABELS");
    VersionLabels labels = labelText == null ? VersionLabels.none() : VersionLabels.parse("MODEL_VERSION_LABELS", labelText, models);

    boolean batching = env.bool("BATCHING_ENABLED", true);
    int maxBatch = env.integer("BATCH_MAX_SIZE", 64, 1, 1_000_000);
    long maxWaitMicros = env.integer("BATCH_MAX_WAIT_MICROS", 0, 0, 1_000_000);
    int queue = env.integer("BATCH_QUEUE_CAPACITY", 1024, 1, 1_000_000);
    int threads = env.integer("INFERENCE_THREADS", 1, 1, 256);
    long timeoutMillis = env.integer("REQUEST_TIMEOUT_MS", 5_000, 1, 3_600_000);
    BatchingConfig batchingConfig = new BatchingConfig(threads, batching ? maxBatch : 1,
        batching ? TimeUnit.MICROSECONDS.toNanos(maxWaitMicros) : 0, queue, TimeUnit.MILLISECONDS.toNanos(timeoutMillis));

    return new ModelServingConfig(
        new ModelRepository.Config(base, models, poll, policy, labels),
        batchingConfig,
        env.integer("MAX_INSTANCES", 10_000, 1, 10_000_000),
        env.integer("MAX_TENSOR_VALUES", 1_000_000, 1, 100_000_000),
        env.integer("TF_INTER_OP_THREADS", -1, -1, 256),
        env.integer("TF_INTRA_OP_THREADS", 1, 0, 256),
        env.bool("MODEL_WARMUP", true),
        GrpcConfig.from(env));
  }

  private static List<String> modelNames(String text) {
    List<String> names = List.copyOf(new LinkedHashSet<>(Arrays.stream(text.split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).toList()));
    for (String name : names) {
      if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
        throw Env.invalid("MODEL_NAME", text, "model names of letters, digits, '.', '_' or '-', separated by commas");
      }
    }
    if (names.isEmpty()) {
      throw Env.invalid("MODEL_NAME", text, "at least one model name");
    }
    return names;
  }
}
