package dev.footprint.model.engine;

import io.vertx.core.Context;
import io.vertx.core.Handler;

/**
 * Defers waking an inference thread to the end of the current event loop turn. A task run from the
 * loop itself waits in Netty's task queue until the loop has handled every connection that was
 * readable, so all requests of one read burst are queued before an inference thread wakes, and the
 * burst costs one wake-up instead of one per request. A lone request loses only that turn's tail.
 * One instance per event loop; used only on its loop, so it needs no synchronization.
 */
public final class WakeAfterLoopTurn {
  private final Context loop;
  private final InferenceExecutor executor;
  private final Handler<Void> wake;
  private boolean scheduled;

  public WakeAfterLoopTurn(Context loop, InferenceExecutor executor) {
    this.loop = loop;
    this.executor = executor;
    this.wake = ignored -> {
      scheduled = false;
      this.executor.wake();
    };
  }

  public Context loop() {
    return loop;
  }

  public void request() {
    if (!scheduled) {
      scheduled = true;
      loop.runOnContext(wake);
    }
  }
}
