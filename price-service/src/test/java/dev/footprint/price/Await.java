package dev.footprint.price;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something asynchronous (a reload) by polling until a deadline, never by a fixed sleep. */
final class Await {
  private Await() {
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true after " + timeout + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }
}
