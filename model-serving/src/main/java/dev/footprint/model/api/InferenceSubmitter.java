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
public final class InferenceSubmitter {

  private final InferenceExecutor executor;
  private final WakeAfterLoopTurn wake;
  private final long timeoutNanos;

  public InferenceSubmitter(InferenceExecutor executor, WakeAfterLoopTurn wake, long timeoutNanos) {
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
    if (submit(version, signature, tensors, listener, timeoutNanos) == null) {
      sendError(ctx, queueFull());
      return false;
    }
    return true;
  }

  /**
   * As above for a caller that answers its own way (gRPC): the queued task, or null when the queue is
   * full ({@link #queueFull()} says why). {@code timeoutNanos} caps the wait for an inference thread
   * below REQUEST_TIMEOUT_MS (a call's own deadline).
   */
  public InferenceTask submit(ServableVersion version, ServingSignature signature, RequestTensors tensors,
                              InferenceTask.Listener listener, long timeoutNanos) {
    InferenceTask task = new InferenceTask(version, signature, tensors.data(), tensors.shapes(), tensors.rows(),
        tensors.stackable(), wake.loop(), System.nanoTime() + Math.min(timeoutNanos, this.timeoutNanos), listener);
    if (!executor.submit(task)) {
      return null;
    }
    wake.request();
    return task;
  }

  /** Takes {@code task} out of the queue if it is still waiting there (its client went away). */
  public void cancel(InferenceTask task) {
    executor.cancel(task);
  }

  public ServingException queueFull() {
    return new ServingException(503, "the inference queue is full ("
        + executor.config().queueCapacity() + " requests waiting, BATCH_QUEUE_CAPACITY): retry shortly");
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
