package dev.footprint.price;

import dev.footprint.core.health.Readiness;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads the price list and swaps it in: read from the source, checksum, parse (both on the loader's
 * single worker thread, off every event loop), then publish on the loader's context. One reload runs
 * at a time; requests that arrive meanwhile share one more run after it, so a burst of file events or
 * of {@code POST /admin/reload} costs at most two reads.
 *
 * <p>A list that fails to load never replaces the served one: the previous list keeps answering, and
 * the failure goes to the log (one line per error, with its line number), readiness, /catalog and the
 * metrics.
 */
final class PriceListReloader {
  private static final Logger LOG = Logger.getLogger(PriceListReloader.class.getName());
  static final String CHECK_NAME = "price-list";

  private final PriceListSource source;
  private final PriceListState state;
  private final Context context;
  private final WorkerExecutor worker;
  private final String defaultCurrency;
  private final int maxProducts;
  private final Readiness.Check readiness;
  private final PriceMetrics metrics;

  // Touched only on the loader's context.
  private boolean running;
  private Promise<ReloadResult> queued;
  private ReloadTrigger queuedTrigger;
  private ReloadFailure lastLoggedFailure;

  PriceListReloader(PriceListSource source, PriceListState state, Context context, WorkerExecutor worker,
                    String defaultCurrency, int maxProducts, Readiness.Check readiness, PriceMetrics metrics) {
    this.source = source;
    this.state = state;
    this.context = context;
    this.worker = worker;
    this.defaultCurrency = defaultCurrency;
    this.maxProducts = maxProducts;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  /** Reloads now, or right after the reload in progress; completes with the outcome. Any thread. */
  Future<ReloadResult> reload(ReloadTrigger trigger) {
    Promise<ReloadResult> answer = Promise.promise();
    context.runOnContext(ignored -> request(trigger).onComplete(answer));
    return answer.future();
  }

  private Future<ReloadResult> request(ReloadTrigger trigger) {
    if (!running) {
      running = true;
      return run(trigger);
    }
    if (queued == null) {
      queued = Promise.promise();
      queuedTrigger = trigger;
    } else if (trigger.forced() && !queuedTrigger.forced()) {
      queuedTrigger = trigger;
    }
    return queued.future();
  }

  private Future<ReloadResult> run(ReloadTrigger trigger) {
    long started = System.nanoTime();
    // Through compose, so that a fetch that throws rather than fails is a failed reload too.
    return Future.<Void>succeededFuture()
        .compose(ignored -> onContext(source.fetch(trigger.forced())))
        .compose(content -> switch (content) {
          case SourceContent.NotModified ignored -> Future.succeededFuture(result(ReloadOutcome.NOT_MODIFIED, trigger, null));
          case SourceContent.Content read -> onContext(worker.executeBlocking(() -> load(read, trigger, started), false));
        })
        .recover(failure -> Future.succeededFuture(sourceFailed(failure, trigger)))
        .map(this::publish)
        .andThen(ignored -> next());
  }

  /** The same outcome, delivered on the loader's context whichever thread completed it. */
  private <T> Future<T> onContext(Future<T> future) {
    Promise<T> here = Promise.promise();
    future.onComplete(done -> context.runOnContext(ignored -> here.handle(done)));
    return here.future();
  }

  private void next() {
    running = false;
    if (queued != null) {
      Promise<ReloadResult> promise = queued;
      ReloadTrigger trigger = queuedTrigger;
      queued = null;
      queuedTrigger = null;
      running = true;
      run(trigger).onComplete(promise);
    }
  }

  /** On the worker: checksum, then parse unless the list is the one already served. */
  private ReloadResult load(SourceContent.Content read, ReloadTrigger trigger, long started) {
    byte[] bytes = read.bytes();
    String sha256 = sha256(bytes);
    LoadedPriceList current = state.current();
    if (current != null && current.sha256().equals(sha256)) {
      return result(ReloadOutcome.UNCHANGED, trigger, null);
    }
    ParseResult parsed;
    try {
      parsed = PriceListParser.parse(bytes, defaultCurrency, maxProducts);
    } catch (NotEnoughHeapException tooLarge) {
      // A verdict on this content, as a rejection is: it stands while the source says it has not changed.
      return result(ReloadOutcome.FAILED, trigger, new ReloadFailure(Instant.now(), trigger, notEnoughHeap(tooLarge), List.of(), false, true));
    }
    return switch (parsed) {
      case ParseResult.Parsed ok -> {
        long millis = (System.nanoTime() - started) / 1_000_000;
        LoadedPriceList list = new LoadedPriceList(ok.catalog(), sha256, bytes.length, read.origin(), Instant.now(), millis);
        yield new ReloadResult(ReloadOutcome.LOADED, trigger, Instant.now(), list, null);
      }
      case ParseResult.Rejected rejected -> result(ReloadOutcome.FAILED, trigger, new ReloadFailure(Instant.now(), trigger,
          "price list " + read.origin() + " rejected: " + rejected.summary(), rejected.errors(), rejected.stoppedEarly(), true));
    };
  }

  private ReloadResult sourceFailed(Throwable failure, ReloadTrigger trigger) {
    String message;
    if (failure instanceof SourceException) {
      message = failure.getMessage();
    } else if (failure instanceof NotEnoughHeapException || failure instanceof OutOfMemoryError) {
      message = notEnoughHeap(failure);
    } else {
      message = "reading " + source.describe() + " failed: " + failure;
      LOG.log(Level.WARNING, message, failure);
    }
    List<LineError> errors = failure instanceof SourceException refused && refused.rejectsContent()
        ? List.of(new LineError(0, message)) : List.of();
    return result(ReloadOutcome.FAILED, trigger, new ReloadFailure(Instant.now(), trigger, message, errors, false, false));
  }

  /** The old list, the bytes read and the new list must fit together for a moment. */
  private String notEnoughHeap(Throwable failure) {
    return "not enough heap to load the price list from " + source.describe()
        + (failure instanceof NotEnoughHeapException ? " (" + failure.getMessage() + ")" : "")
        + ": give the JVM more (-Xmx, or both -XX:MinRAMPercentage and -XX:MaxRAMPercentage) or make the list smaller";
  }

  private ReloadResult result(ReloadOutcome outcome, ReloadTrigger trigger, ReloadFailure failure) {
    return new ReloadResult(outcome, trigger, Instant.now(), state.current(), failure);
  }

  /** On the loader's context: swap the list in (one volatile write), then tell readiness, metrics and the log. */
  private ReloadResult publish(ReloadResult result) {
    state.record(result);
    metrics.reloaded(result);
    updateReadiness();
    log(result);
    return result;
  }

  private void updateReadiness() {
    LoadedPriceList current = state.current();
    ReloadFailure failure = state.lastFailure();
    JsonObject details = new JsonObject().put("source", state.source());
    if (current != null) {
      details.mergeIn(current.summary());
    }
    if (failure != null) {
      details.put("lastReloadError", failure.toJson());
    }
    if (current != null) {
      readiness.up(details);
    } else {
      readiness.down(state.notLoadedReason(), details);
    }
  }

  private void log(ReloadResult result) {
    String trigger = " (trigger " + result.trigger().label() + ")";
    switch (result.outcome()) {
      case LOADED -> {
        LoadedPriceList list = result.serving();
        LOG.info(() -> "loaded " + list.catalog().size() + " prices from " + list.origin() + ": sha256 " + list.sha256()
            + ", " + list.bytes() + " bytes, " + list.loadMillis() + " ms" + trigger);
        lastLoggedFailure = null;
      }
      case UNCHANGED -> {
        LOG.info(() -> "price list " + source.describe() + " read again, unchanged: sha256 " + result.serving().sha256() + trigger);
        lastLoggedFailure = null;
      }
      case NOT_MODIFIED -> LOG.fine(() -> "price list " + source.describe() + " not modified" + trigger);
      case FAILED -> logFailure(result);
    }
  }

  private void logFailure(ReloadResult result) {
    ReloadFailure failure = result.failure();
    // The same problem seen again by the next poll is not news.
    Level level = failure.sameProblemAs(lastLoggedFailure) ? Level.FINE : Level.WARNING;
    lastLoggedFailure = failure;
    LoadedPriceList serving = result.serving();
    String still = serving == null ? "no price list to serve: not ready"
        : "still serving " + serving.catalog().size() + " prices, sha256 " + serving.sha256();
    LOG.log(level, failure.message() + "; " + still + " (trigger " + result.trigger().label() + ")");
    for (LineError error : failure.errors()) {
      LOG.log(level, "price list " + source.describe() + ": " + error);
    }
    if (failure.stoppedEarly()) {
      LOG.log(level, "price list " + source.describe() + ": stopped after " + PriceListParser.MAX_ERRORS + " errors");
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
