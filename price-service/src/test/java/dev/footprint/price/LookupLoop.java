package dev.footprint.price;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Clients looking up random products of a list whose every product costs {@code oldPrice} or
 * {@code newPrice}, until stopped (at most a minute and 200,000 lookups). Every answer must be 200
 * with one of the two; anything else (a 404, a price neither version has) is kept as a failure.
 */
final class LookupLoop {
  private final long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  private final Function<String, String> priceText;
  private final int products;
  private final BigDecimal oldPrice;
  private final BigDecimal newPrice;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger newAnswers = new AtomicInteger();
  final Queue<String> failures = new ConcurrentLinkedQueue<>();

  /** @param priceText the price of an id as the server wrote it, or {@code HTTP <status>} when there is none */
  LookupLoop(int clients, int products, String oldPrice, String newPrice, Function<String, String> priceText) {
    this.priceText = priceText;
    this.products = products;
    this.oldPrice = new BigDecimal(oldPrice);
    this.newPrice = new BigDecimal(newPrice);
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofPlatform().name("lookup-" + i).start(this::run));
    }
  }

  private void run() {
    while (running.get() && System.nanoTime() < deadline && requests.get() < 200_000) {
      String id = PriceListFiles.id(ThreadLocalRandom.current().nextInt(1, products + 1));
      String price = priceText.apply(id);
      requests.incrementAndGet();
      if (price.startsWith("HTTP ")) {
        failures.add(id + ": " + price);
        continue;
      }
      BigDecimal value = new BigDecimal(price);
      if (value.compareTo(newPrice) == 0) {
        newAnswers.incrementAndGet();
      } else if (value.compareTo(oldPrice) != 0) {
        failures.add(id + ": price " + price + ", which no version of the list has");
      }
    }
  }

  void awaitRequests(int count) {
    int target = requests.get() + count;
    Await.until(count + " lookups", Duration.ofSeconds(20), () -> requests.get() >= target);
  }

  /** Waits until {@code count} answers had the new price, or failures pile up (the caller asserts). */
  void awaitNewAnswers(int count) {
    int target = newAnswers.get() + count;
    Await.until(count + " answers with the new price", Duration.ofSeconds(20),
        () -> newAnswers.get() >= target || failures.size() > 20);
  }

  void stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }
}
