package dev.footprint.model.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs inference off the event loops, on a fixed set of threads fed by one bounded queue, merging the
 * requests that wait together into one session call (adaptive micro-batching).
 *
 * <ul>
 *   <li>Submitting is a queue offer: when the queue is full the caller answers 503 at once.</li>
 *   <li>Threads sleep when idle and are woken by {@link #wake()}, which a caller invokes once per
 *       event loop turn, not once per request (see {@code WakeAfterLoopTurn}): the requests one read
 *       brings in are queued before an inference thread runs, so they form one batch.</li>
 *   <li>A thread takes the first waiting request and every compatible one behind it, up to
 *       {@code maxBatchRows} rows: a lone request runs at once, a crowd runs together. It waits
 *       up to {@code maxWaitNanos} for more only while the previous batch was bigger than this one.</li>
 *   <li>Answers go back to each request's own event loop, one hand-off per loop and batch.</li>
 * </ul>
 */
public final class InferenceExecutor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(InferenceExecutor.class.getName());

  private final BatchingConfig config;
  private final ConcurrentLinkedQueue<InferenceTask> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger depth = new AtomicInteger();
  private final Worker[] workers;
  private final InferenceMetrics metrics;
  private volatile boolean running = true;

  public InferenceExecutor(BatchingConfig config, MeterRegistry registry) {
    this.config = config;
    this.metrics = new InferenceMetrics(registry, depth::get);
    this.workers = new Worker[config.threads()];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker();
      workers[i].thread = Thread.ofPlatform().daemon().name("inference-" + i).unstarted(workers[i]);
      workers[i].thread.start();
    }
  }

  /** Queues {@code task}; false (and nothing queued) when the queue is full or the executor closed. */
  public boolean submit(InferenceTask task) {
    if (!running) {
      return false;
    }
    if (depth.incrementAndGet() > config.queueCapacity()) {
      depth.decrementAndGet();
      metrics.queueFull();
      return false;
    }
    queue.offer(task);
    return true;
  }

  /**
   * Takes a task its client has given up on (a cancelled gRPC call) out of the queue, freeing its place
   * at once; its listener is not called. A task already taken by an inference thread runs to its end.
   */
  public void cancel(InferenceTask task) {
    if (queue.remove(task)) {
      depth.decrementAndGet();
      metrics.cancelled();
      task.version.release(1);
    }
  }

  /** Wakes one sleeping inference thread, if any sleeps. */
  public void wake() {
    for (Worker worker : workers) {
      if (worker.tryWake()) {
        return;
      }
    }
  }

  public int queueDepth() {
    return depth.get();
  }

  public BatchingConfig config() {
    return config;
  }

  private InferenceTask poll() {
    InferenceTask task = queue.poll();
    if (task != null) {
      depth.decrementAndGet();
    }
    return task;
  }

  /** Stops the threads; requests still queued are answered 503. */
  @Override
  public void close() {
    running = false;
    for (Worker worker : workers) {
      LockSupport.unpark(worker.thread);
    }
    for (Worker worker : workers) {
      try {
        worker.thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    InferenceTask task;
    while ((task = poll()) != null) {
      task.fail(503, "the server is shutting down");
      task.version.release(1);
      dispatch(List.of(task));
    }
  }

  private final class Worker implements Runnable {
    private Thread thread;
    private volatile boolean parked;
    private final List<InferenceTask> batch = new ArrayList<>();
    private int lastBatchRows = 1;

    boolean tryWake() {
      if (parked) {
        parked = false;
        LockSupport.unpark(thread);
        return true;
      }
      return false;
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (Error e) {
        // An inference thread lost to an Error (JavaCPP's own OutOfMemoryError, say) would leave the
        // server half alive: ready, and every request waiting out its deadline. Exit, so Kubernetes
        // restarts the pod (the shutdown hook drains what can still be answered).
        LOG.log(Level.SEVERE, "inference thread " + Thread.currentThread().getName() + " failed: exiting", e);
        System.exit(70);
      }
    }

    private void loop() {
      InferenceTask carry = null;
      while (running) {
        InferenceTask first = carry != null ? carry : poll();
        carry = null;
        if (first == null) {
          sleep();
          continue;
        }
        if (expired(first)) {
          continue;
        }
        batch.add(first);
        int rows = first.rows;
        if (first.stackable && config.maxBatchRows() > 1) {
          long waitUntil = 0;
          while (rows < config.maxBatchRows()) {
            InferenceTask next = poll();
            if (next == null) {
              if (config.maxWaitNanos() <= 0 || rows >= lastBatchRows) {
                break;
              }
              long now = System.nanoTime();
              if (waitUntil == 0) {
                waitUntil = now + config.maxWaitNanos();
              } else if (now >= waitUntil) {
                break;
              }
              LockSupport.parkNanos(Math.min(waitUntil - now, 20_000));
              continue;
            }
            if (expired(next)) {
              continue;
            }
            if (!first.stacksWith(next) || rows + next.rows > config.maxBatchRows()) {
              carry = next;
              break;
            }
            batch.add(next);
            rows += next.rows;
          }
        }
        lastBatchRows = rows;
        execute(batch, rows);
        batch.clear();
      }
    }

    private void sleep() {
      parked = true;
      if (!queue.isEmpty() || !running) {
        parked = false;
        return;
      }
      while (parked && running) {
        LockSupport.park(this);
      }
    }
  }

  private boolean expired(InferenceTask task) {
    if (System.nanoTime() - task.deadlineNanos > 0) {
      metrics.expired();
      task.fail(503, "the request waited longer than its deadline of "
          + config.timeoutNanos() / 1_000_000 + " ms for an inference thread (REQUEST_TIMEOUT_MS): the server is overloaded");
      task.version.release(1);
      dispatch(List.of(task));
      return true;
    }
    return false;
  }

  /** Runs one batch: its tasks share a signature; more than one means stacking their rows. */
  private void execute(List<InferenceTask> batch, int rows) {
    InferenceTask first = batch.get(0);
    long started = System.nanoTime();
    try {
      if (batch.size() == 1) {
        first.succeed(first.signature.run(first.inputs, first.shapes), 0);
      } else {
        var outputs = first.signature.run(stack(batch, rows), stackedShapes(first, rows));
        for (long[] shape : outputs.shapes()) {
          if (shape.length == 0 || shape[0] != rows) {
            throw new IllegalStateException("the model answered " + rows + " stacked instances with an output of shape "
                + java.util.Arrays.toString(shape) + ": its outputs do not keep the batch dimension");
          }
        }
        int row = 0;
        for (InferenceTask task : batch) {
          task.succeed(outputs, row);
          row += task.rows;
        }
      }
    } catch (RuntimeException e) {
      boolean clientError = e.getClass().getSimpleName().equals("TFInvalidArgumentException");
      if (!clientError) {
        LOG.log(Level.WARNING, "inference failed on " + first.version, e);
      }
      String message = firstLine(e.getMessage());
      for (InferenceTask task : batch) {
        task.fail(clientError ? 400 : 500, clientError ? message : "inference failed: " + message);
      }
    }
    metrics.batch(batch.size(), rows, System.nanoTime() - started);
    first.version.release(batch.size());
    dispatch(new ArrayList<>(batch));
  }

  private static float[][] stack(List<InferenceTask> batch, int rows) {
    InferenceTask first = batch.get(0);
    float[][] stacked = new float[first.inputs.length][];
    for (int i = 0; i < stacked.length; i++) {
      int total = 0;
      for (InferenceTask task : batch) {
        total += task.inputs[i].length;
      }
      float[] values = new float[total];
      int offset = 0;
      for (InferenceTask task : batch) {
        System.arraycopy(task.inputs[i], 0, values, offset, task.inputs[i].length);
        offset += task.inputs[i].length;
      }
      stacked[i] = values;
    }
    return stacked;
  }

  private static long[][] stackedShapes(InferenceTask first, int rows) {
    long[][] shapes = new long[first.shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      shapes[i] = first.shapes[i].clone();
      shapes[i][0] = rows;
    }
    return shapes;
  }

  /** Completes every task on its own event loop: one hand-off per distinct loop. */
  private static void dispatch(List<InferenceTask> tasks) {
    Context context = tasks.get(0).context;
    boolean oneLoop = true;
    for (InferenceTask task : tasks) {
      if (task.context != context) {
        oneLoop = false;
        break;
      }
    }
    if (oneLoop) {
      context.runOnContext(ignored -> tasks.forEach(InferenceTask::notifyListener));
      return;
    }
    java.util.Map<Context, List<InferenceTask>> byLoop = new java.util.LinkedHashMap<>();
    for (InferenceTask task : tasks) {
      byLoop.computeIfAbsent(task.context, c -> new ArrayList<>()).add(task);
    }
    byLoop.forEach((loop, own) -> loop.runOnContext(ignored -> own.forEach(InferenceTask::notifyListener)));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
