package dev.footprint.core.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Whether every event loop still runs: each one ticks a timer every 100 ms, and a loop whose last
 * tick is older than EVENT_LOOP_STALL_SECONDS is stuck (a blocking call, an endless loop, an error
 * that killed its work). Liveness fails then, so Kubernetes restarts the pod: with several loops a
 * probe may well land on a healthy one, so answering at all is no proof.
 */
public final class EventLoopWatch {
  static final long TICK_MILLIS = 100;

  private final AtomicLongArray lastTick;
  private final AtomicInteger registered = new AtomicInteger();
  private final long stallNanos;

  public EventLoopWatch(int eventLoops, int stallSeconds) {
    this.lastTick = new AtomicLongArray(eventLoops);
    this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
  }

  /** Called on an event loop (a verticle's start): ticks on it from now on. */
  public void watchCurrentLoop(Vertx vertx) {
    int index = registered.getAndIncrement();
    if (index >= lastTick.length()) {
      throw new IllegalStateException("more event loops watched than the " + lastTick.length() + " declared");
    }
    lastTick.set(index, System.nanoTime());
    vertx.setPeriodic(TICK_MILLIS, id -> lastTick.set(index, System.nanoTime()));
  }

  /** How late the latest of the loops is, beyond its tick; 0 when all are on time. */
  public long delayNanos() {
    long now = System.nanoTime();
    long worst = 0;
    for (int i = 0; i < registered.get() && i < lastTick.length(); i++) {
      worst = Math.max(worst, now - lastTick.get(i) - TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
    }
    return worst;
  }

  /** The index of a loop that has not ticked for EVENT_LOOP_STALL_SECONDS, or -1. */
  public int stalledLoop() {
    long now = System.nanoTime();
    for (int i = 0; i < registered.get() && i < lastTick.length(); i++) {
      if (now - lastTick.get(i) > stallNanos) {
        return i;
      }
    }
    return -1;
  }

  public void bindTo(MeterRegistry registry) {
    Gauge.builder("footprint.event.loop.delay", this, watch -> watch.delayNanos() / 1e9)
        .description("How late the latest event loop is in running a 100 ms timer (liveness fails past EVENT_LOOP_STALL_SECONDS)")
        .baseUnit("seconds").register(registry);
  }
}
