package dev.footprint.model.runtime;

import org.tensorflow.TensorFlow;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Loading TensorFlow's native libraries (680 MB of native code and its protocol buffer classes, most
 * of a second), once per process, on a thread of its own. {@code main} starts it before anything
 * else, so it overlaps with Vert.x starting; the service waits for it before loading models.
 */
public final class TensorFlowRuntime {
  private static final Logger LOG = Logger.getLogger(TensorFlowRuntime.class.getName());
  private static final AtomicReference<CompletableFuture<String>> LOADING = new AtomicReference<>();

  private TensorFlowRuntime() {
  }

  /** Starts loading from {@code nativeDir} (null: JavaCPP's default), or returns the load already started. */
  public static CompletableFuture<String> load(Path nativeDir) {
    CompletableFuture<String> mine = new CompletableFuture<>();
    if (!LOADING.compareAndSet(null, mine)) {
      return LOADING.get();
    }
    if (nativeDir != null) {
      NativeLibraries.use(nativeDir);
    }
    long started = System.nanoTime();
    Thread.ofPlatform().daemon().name("tensorflow-load").start(() -> {
      try {
        String version = TensorFlow.version();
        LOG.info(() -> String.format("TensorFlow %s native libraries loaded from %s in %d ms", version,
            nativeDir == null ? "the class path (JavaCPP cache)" : nativeDir, (System.nanoTime() - started) / 1_000_000));
        mine.complete(version);
      } catch (Throwable failure) {
        mine.completeExceptionally(failure);
      }
    });
    return mine;
  }
}
