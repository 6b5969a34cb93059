package dev.footprint.model.api;

import dev.footprint.core.http.MediaTypes;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.model.ServingException;
import dev.footprint.model.engine.InferenceExecutor;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.engine.WakeAfterLoopTurn;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Hands a request's tensors to the inference executor from its event loop, and turns a full queue
 * into 503 with {@code Retry-After} at once. One per event loop.
 */
final class InferenceSubmitter {

  private final InferenceExecutor executor;
  private final WakeAfterLoopTurn wake;
  private final long timeoutNanos;

  InferenceSubmitter(InferenceExecutor executor, WakeAfterLoopTurn wake, long timeoutNanos) {
    this.executor = executor;
    this.wake = wake;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Submits; on success the version's reference travels with the task (the executor releases it),
   * on failure the caller still holds it.
   */
  boolean submit(RoutingContext ctx, ServableVersion version, ServingSignature signature, RequestTensors tensors,
                 InferenceTask.Listener listener) {
    InferenceTask task = new InferenceTask(version, signature, tensors.data(), tensors.shapes(), tensors.rows(),
        tensors.stackable(), wake.loop(), System.nanoTime() + timeoutNanos, listener);
    if (!executor.submit(task)) {
      sendError(ctx, new ServingException(503, "the inference queue is full ("
          + executor.config().queueCapacity() + " requests waiting, BATCH_QUEUE_CAPACITY): retry shortly"));
      return false;
    }
    wake.request();
    return true;
  }

  static void sendJson(RoutingContext ctx, String json) {
    if (ctx.response().closed()) {
      return; // The client went away while its request was queued or running.
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json);
  }

  static void sendError(RoutingContext ctx, ServingException e) {
    if (e.status() == 503) {
      HttpErrors.unavailable(ctx, 1, e.getMessage());
    } else {
      HttpErrors.send(ctx, e.status(), e.getMessage());
    }
  }

  static void sendFailure(RoutingContext ctx, InferenceTask task) {
    sendError(ctx, new ServingException(task.failureStatus(), task.failureMessage()));
  }
}
