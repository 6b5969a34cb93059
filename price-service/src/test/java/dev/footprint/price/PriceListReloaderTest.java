package dev.footprint.price;

import dev.footprint.core.health.Readiness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The reloader with a source the test controls: one reload at a time, and requests in between share one more. */
@ExtendWith(VertxExtension.class)
class PriceListReloaderTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PriceListState state = new PriceListState("test source");
  private final HeldSource source = new HeldSource();
  private final Readiness readiness = new Readiness();
  private WorkerExecutor worker;
  private PriceListReloader reloader;

  @BeforeEach
  void create(Vertx vertx) {
    worker = vertx.createSharedWorkerExecutor("test-loader", 1);
    reloader = new PriceListReloader(source, state, vertx.getOrCreateContext(), worker, "USD", 100,
        readiness.register(PriceListReloader.CHECK_NAME, "loading"), new PriceMetrics(registry, state));
  }

  @AfterEach
  void close() {
    worker.close().await();
  }

  @Test
  void requestsDuringAReloadShareTheOneRunAfterIt() {
    Future<ReloadResult> first = reloader.reload(ReloadTrigger.START);
    Await.until("the first read started", Duration.ofSeconds(5), () -> source.reads.size() == 1);
    List<Future<ReloadResult>> waiting = new ArrayList<>();
    waiting.add(reloader.reload(ReloadTrigger.WATCH));
    waiting.add(reloader.reload(ReloadTrigger.POLL));
    waiting.add(reloader.reload(ReloadTrigger.ADMIN));
    waiting.add(reloader.reload(ReloadTrigger.WATCH));
    source.reads.get(0).complete(content("P1,1\n"));
    assertThat(first.await().outcome()).isEqualTo(ReloadOutcome.LOADED);

    Await.until("the second read started", Duration.ofSeconds(5), () -> source.reads.size() == 2);
    // One of the waiting requests was an operator's: the shared run reads even an unchanged-looking source.
    assertThat(source.forced.get(1)).isTrue();
    source.reads.get(1).complete(content("P1,2\n"));
    for (Future<ReloadResult> request : waiting) {
      ReloadResult result = request.await();
      assertThat(result.outcome()).isEqualTo(ReloadOutcome.LOADED);
      assertThat(result.trigger()).isEqualTo(ReloadTrigger.ADMIN);
      assertThat(result.serving().catalog().priceText(0)).isEqualTo("2");
    }
    assertThat(source.reads).hasSize(2);
    assertThat(registry.get("price.catalog.reloads").tag("outcome", "loaded").counter().count()).isEqualTo(2);
  }

  @Test
  void aRejectedListKeepsThePreviousOneAndReadinessShowsWhy() {
    source.next = content("P1,1\n");
    reloader.reload(ReloadTrigger.START).await();
    LoadedPriceList good = state.current();
    source.next = content("P1,1\nP1,2\n");
    ReloadResult result = reloader.reload(ReloadTrigger.WATCH).await();

    assertThat(result.outcome()).isEqualTo(ReloadOutcome.FAILED);
    assertThat(result.failure().errors()).containsExactly(new LineError(2, "duplicate product id \"P1\" (first on line 1)"));
    assertThat(state.current()).isSameAs(good);
    assertThat(readiness.check(PriceListReloader.CHECK_NAME).isUp()).isTrue();
    assertThat(registry.get("price.catalog.reload.failing").gauge().value()).isEqualTo(1);

    // Back to the list served: nothing to parse, and the failure is over.
    source.next = content("P1,1\n");
    assertThat(reloader.reload(ReloadTrigger.WATCH).await().outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
    assertThat(state.lastFailure()).isNull();
    assertThat(registry.get("price.catalog.reload.failing").gauge().value()).isZero();
  }

  @Test
  void aSourceThatFailsWithoutAListLeavesTheServiceNotReady() {
    source.failure = new SourceException("file /nowhere/prices.txt not found");
    ReloadResult result = reloader.reload(ReloadTrigger.START).await();
    assertThat(result.outcome()).isEqualTo(ReloadOutcome.FAILED);
    assertThat(result.failure().rejectedContent()).isFalse();
    assertThat(readiness.check(PriceListReloader.CHECK_NAME).isUp()).isFalse();
    assertThat(state.notLoadedReason()).isEqualTo("price list not loaded: file /nowhere/prices.txt not found");
  }

  private static SourceContent content(String text) {
    return new SourceContent.Content(text.getBytes(StandardCharsets.US_ASCII), "test");
  }

  /** Answers each read with {@link #next} or {@link #failure}, or, when neither is set, holds it until the test completes it. */
  private static final class HeldSource implements PriceListSource {
    final List<Promise<SourceContent>> reads = new CopyOnWriteArrayList<>();
    final List<Boolean> forced = new CopyOnWriteArrayList<>();
    volatile SourceContent next;
    volatile SourceException failure;

    @Override
    public String describe() {
      return "test source";
    }

    @Override
    public Future<SourceContent> fetch(boolean force) {
      Promise<SourceContent> read = Promise.promise();
      reads.add(read);
      forced.add(force);
      if (failure != null) {
        read.fail(failure);
      } else if (next != null) {
        read.complete(next);
      }
      return read.future();
    }
  }
}
