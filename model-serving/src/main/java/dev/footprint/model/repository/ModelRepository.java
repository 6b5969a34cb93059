package dev.footprint.model.repository;

import dev.footprint.core.health.Readiness;
import dev.footprint.model.ServingException;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.VersionLoadException;
import dev.footprint.model.servable.VersionLoader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The models served and their versions, kept in step with {@code <base>/<model>/<version>/} folders
 * as TensorFlow Serving's file system source does: every poll, the versions the policy wants are
 * loaded and warmed up on the loader thread, published only once ready, and only then are the
 * versions they replace retired ({@link Succession}: a version whose folder is removed before its
 * successor is loadable keeps serving from memory until that successor is AVAILABLE). A retired version closes when its last request finishes (reference
 * counting). A version that fails to load is logged, shown in the status with its error, and never
 * replaces one that serves. Ready while every model has at least one available version.
 */
public final class ModelRepository implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ModelRepository.class.getName());
  private static final Pattern VERSION_FOLDER = Pattern.compile("\\d{1,18}");
  public static final String READINESS_CHECK = "models";

  /** The repository's settings: MODEL_BASE_PATH, MODEL_NAME, MODEL_POLL_SECONDS, MODEL_VERSION_POLICY, MODEL_VERSION_LABELS. */
  public record Config(Path basePath, List<String> models, int pollSeconds, VersionPolicy policy, VersionLabels labels) {
  }

  private final Config config;
  private final VersionLoader loader;
  private final Readiness.Check readiness;
  private final MeterRegistry registry;
  private final Map<String, ModelState> models = new LinkedHashMap<>();
  private final ScheduledExecutorService loaderThread = Executors.newSingleThreadScheduledExecutor(
      runnable -> Thread.ofPlatform().daemon().name("model-loader").unstarted(runnable));

  public ModelRepository(Config config, VersionLoader loader, Readiness.Check readiness, MeterRegistry registry) {
    this.config = config;
    this.loader = loader;
    this.readiness = readiness;
    this.registry = registry;
    for (String name : config.models()) {
      ModelState state = new ModelState(name);
      models.put(name, state);
      Gauge.builder("footprint.model.versions.loaded", state, s -> s.available.size())
          .description("Versions of the model loaded and serving")
          .tag("model", name).register(registry);
    }
  }

  public Config config() {
    return config;
  }

  /** Loads what is on disk now (blocking), then polls every MODEL_POLL_SECONDS. */
  public void start() throws InterruptedException {
    try {
      loaderThread.submit(() -> poll(true)).get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("initial model load failed", e.getCause());
    }
    if (config.pollSeconds() > 0) {
      loaderThread.scheduleWithFixedDelay(() -> poll(false), config.pollSeconds(), config.pollSeconds(), TimeUnit.SECONDS);
    }
  }

  public List<String> modelNames() {
    return List.copyOf(models.keySet());
  }

  // ---- serving ----------------------------------------------------------------------------------

  /**
   * The version a request names (a number, a label, or neither for the latest), with a reference
   * taken: the caller must {@link ServableVersion#release} it. Errors as TensorFlow Serving words them.
   */
  public ServableVersion acquire(String model, Long version, String label) {
    ModelState state = models.get(model);
    Long wanted = version;
    if (label != null) {
      wanted = config.labels().version(model, label);
      if (wanted == null) {
        throw ServingException.invalid("Unrecognized servable version label: " + label);
      }
    }
    String request = wanted == null ? "Latest(" + model + ")" : "Specific(" + model + ", " + wanted + ")";
    if (state == null) {
      throw servableNotFound(request);
    }
    // A version retired between the look-up and the retain is gone: its successor is already published.
    for (int attempt = 0; attempt < 4; attempt++) {
      NavigableMap<Long, ServableVersion> available = state.available;
      ServableVersion chosen;
      if (wanted == null) {
        var last = available.lastEntry();
        chosen = last == null ? null : last.getValue();
      } else {
        chosen = available.get(wanted);
      }
      if (chosen == null) {
        throw servableNotFound(request);
      }
      if (chosen.retain()) {
        return chosen;
      }
    }
    throw new ServingException(503, "Servable " + request + " is being replaced; retry");
  }

  /**
   * As {@link #acquire(String, Long, String)} for a version named by a string, as the Open Inference
   * Protocol names them ({@code null} for the latest): only a version's own number in decimal names
   * it, and any other spelling ({@code v1}, {@code 01}, {@code +1}) is a version not found, in the
   * same words as a number that is none of the model's versions.
   */
  public ServableVersion acquire(String model, String version) {
    if (version == null) {
      return acquire(model, null, null);
    }
    boolean canonical = !version.isEmpty() && version.length() <= 18 && (version.equals("0") || version.charAt(0) != '0');
    for (int i = 0; canonical && i < version.length(); i++) {
      canonical = version.charAt(i) >= '0' && version.charAt(i) <= '9';
    }
    if (!canonical) {
      throw servableNotFound("Specific(" + model + ", " + version + ")");
    }
    return acquire(model, Long.parseLong(version), null);
  }

  private static ServingException servableNotFound(String request) {
    return ServingException.notFound("Servable not found for request: " + request);
  }

  /** The versions of {@code model} available now, oldest first. */
  public List<Long> availableVersions(String model) {
    ModelState state = models.get(model);
    return state == null ? List.of() : List.copyOf(state.available.keySet());
  }

  public boolean isServed(String model) {
    return models.containsKey(model);
  }

  /** GetModelStatus: every version known (newest first), or the one a version or label names. */
  public List<VersionStatus> status(String model, Long version, String label) {
    ModelState state = models.get(model);
    Long wanted = version;
    if (label != null) {
      wanted = config.labels().version(model, label);
      if (wanted == null) {
        throw ServingException.invalid("Unrecognized servable version label: " + label);
      }
    }
    if (wanted != null) {
      VersionStatus status = state == null ? null : state.statuses.get(wanted);
      if (status == null) {
        throw ServingException.notFound("Could not find version " + wanted + " of model " + model);
      }
      return List.of(status);
    }
    if (state == null || state.statuses.isEmpty()) {
      throw ServingException.notFound("Could not find any versions of model " + model);
    }
    return List.copyOf(state.statuses.values());
  }

  // ---- loading ----------------------------------------------------------------------------------

  private void poll(boolean initial) {
    try {
      for (ModelState state : models.values()) {
        sync(state, initial);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "model repository poll failed", e);
    } finally {
      updateReadiness();
    }
  }

  private void sync(ModelState state, boolean initial) {
    Map<Long, Path> onDisk = versionsOnDisk(state);
    if (onDisk == null) {
      return;
    }
    NavigableSet<Long> candidates = new TreeSet<>();
    Map<Long, Fingerprint> fingerprints = new HashMap<>();
    for (Map.Entry<Long, Path> entry : onDisk.entrySet()) {
      long version = entry.getKey();
      if (state.available.containsKey(version)) {
        candidates.add(version);
        continue;
      }
      Fingerprint fingerprint = Fingerprint.of(entry.getValue());
      fingerprints.put(version, fingerprint);
      if (fingerprint.equals(state.broken.get(version))) {
        continue;
      }
      // At start the files are taken as complete; later a new version must look the same twice.
      Fingerprint seenBefore = state.pending.put(version, fingerprint);
      if (!initial && !fingerprint.equals(seenBefore)) {
        continue;
      }
      candidates.add(version);
    }
    state.pending.keySet().retainAll(onDisk.keySet());
    state.broken.keySet().retainAll(onDisk.keySet());

    NavigableSet<Long> wanted;
    while (true) {
      wanted = config.policy().select(candidates);
      Long failed = null;
      for (Long version : wanted.descendingSet()) {
        if (!state.available.containsKey(version) && !load(state, version, onDisk.get(version))) {
          failed = version;
          break;
        }
      }
      if (failed == null) {
        break;
      }
      state.broken.put(failed, fingerprints.get(failed));
      state.pending.remove(failed);
      candidates.remove(failed);
    }
    NavigableSet<Long> loaded = state.available.navigableKeySet();
    NavigableSet<Long> retirable = Succession.retirable(config.policy(), new TreeSet<>(onDisk.keySet()), wanted, loaded);
    for (Long version : new ArrayList<>(loaded)) {
      if (retirable.contains(version)) {
        retire(state, version);
      } else if (!wanted.contains(version) && state.keptForSuccessor.add(version)) {
        LOG.info(() -> "model " + state.name + " version " + version + " kept serving"
            + (onDisk.containsKey(version) ? "" : " from memory (its folder is gone)")
            + " until the version that replaces it is available");
      }
    }
    state.keptForSuccessor.retainAll(state.available.keySet());
  }

  /** The numeric version folders of a model; empty when its folder is gone, null when it could not be listed. */
  private Map<Long, Path> versionsOnDisk(ModelState state) {
    Path folder = config.basePath().resolve(state.name);
    Map<Long, Path> versions = new TreeMap<>();
    if (!Files.isDirectory(folder)) {
      if (!state.warnedMissing) {
        LOG.warning(() -> "no versions of model " + state.name + " found: " + folder + " is not a folder");
        state.warnedMissing = true;
      }
      return versions;
    }
    state.warnedMissing = false;
    try (Stream<Path> children = Files.list(folder)) {
      children.filter(Files::isDirectory)
          .filter(p -> VERSION_FOLDER.matcher(p.getFileName().toString()).matches())
          .forEach(p -> versions.put(Long.parseLong(p.getFileName().toString()), p));
    } catch (IOException | java.io.UncheckedIOException e) {
      // Not an empty folder: what serves keeps serving until a listing says what changed.
      LOG.warning(() -> "cannot list " + folder + ": " + e.getMessage() + "; the versions loaded keep serving");
      return null;
    }
    return versions;
  }

  private boolean load(ModelState state, long version, Path folder) {
    state.statuses.put(version, VersionStatus.ok(version, VersionStatus.State.LOADING));
    long started = System.nanoTime();
    ServableVersion loaded;
    try {
      loaded = loader.load(state.name, version, folder, this::closeWhenUnused);
    } catch (VersionLoadException e) {
      state.statuses.put(version, VersionStatus.failed(version, e.errorCode(), e.getMessage()));
      Counter.builder("footprint.model.load.failures").description("Versions that failed to load")
          .tag("model", state.name).register(registry).increment();
      LOG.warning(() -> "model " + state.name + " version " + version + " failed to load and is not served: "
          + e.errorCode() + ": " + e.getMessage());
      return false;
    }
    long nanos = System.nanoTime() - started;
    Timer.builder("footprint.model.load").description("Time to load and warm up a version")
        .tag("model", state.name).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    NavigableMap<Long, ServableVersion> next = new TreeMap<>(state.available);
    next.put(version, loaded);
    state.available = Collections.unmodifiableNavigableMap(next);
    state.pending.remove(version);
    state.statuses.put(version, VersionStatus.ok(version, VersionStatus.State.AVAILABLE));
    LOG.info(() -> String.format("model %s version %d available: loaded and warmed up in %d ms (%s)",
        state.name, version, TimeUnit.NANOSECONDS.toMillis(nanos), loaded.signatures().keySet()));
    return true;
  }

  private void retire(ModelState state, long version) {
    ServableVersion retiring = state.available.get(version);
    NavigableMap<Long, ServableVersion> next = new TreeMap<>(state.available);
    next.remove(version);
    state.available = Collections.unmodifiableNavigableMap(next);
    state.statuses.put(version, VersionStatus.ok(version, VersionStatus.State.UNLOADING));
    LOG.info(() -> "model " + state.name + " version " + version + " retired: closes when its requests in flight finish");
    retiring.release(1);
  }

  /** Called by the last release of a version, on whatever thread that was: closes on the loader thread. */
  private void closeWhenUnused(ServableVersion version) {
    Runnable close = () -> {
      version.close();
      ModelState state = models.get(version.model());
      if (state != null) {
        state.statuses.put(version.version(), VersionStatus.ok(version.version(), VersionStatus.State.END));
      }
      LOG.info(() -> version + " closed");
    };
    try {
      loaderThread.execute(close);
    } catch (RejectedExecutionException e) {
      close.run();
    }
  }

  private void updateReadiness() {
    JsonObject details = new JsonObject();
    List<String> missing = new ArrayList<>();
    for (ModelState state : models.values()) {
      details.put(state.name, new JsonArray(new ArrayList<>(state.available.keySet())));
      if (state.available.isEmpty()) {
        missing.add(state.name);
      }
    }
    if (missing.isEmpty()) {
      readiness.up(details);
    } else {
      readiness.down("no version available of model " + String.join(", ", missing)
          + " under " + config.basePath(), details);
    }
  }

  /** Stops polling and retires every version; each closes once its requests finish. */
  @Override
  public void close() {
    loaderThread.shutdown();
    try {
      loaderThread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ModelState state : models.values()) {
      for (Long version : new ArrayList<>(state.available.keySet())) {
        retire(state, version);
      }
    }
  }

  private static final class ModelState {
    final String name;
    /** Replaced whole, never changed in place: request threads read it without locks. */
    volatile NavigableMap<Long, ServableVersion> available = Collections.emptyNavigableMap();
    final ConcurrentSkipListMap<Long, VersionStatus> statuses = new ConcurrentSkipListMap<>(Collections.reverseOrder());
    // Loader thread only.
    final Map<Long, Fingerprint> pending = new HashMap<>();
    final Map<Long, Fingerprint> broken = new HashMap<>();
    /** Superseded versions still serving while their successor loads, each logged once. */
    final Set<Long> keptForSuccessor = new HashSet<>();
    boolean warnedMissing;

    ModelState(String name) {
      this.name = name;
    }
  }
}
