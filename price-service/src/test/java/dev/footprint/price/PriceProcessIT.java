package dev.footprint.price;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar as a user starts it: {@code java -jar price-service.jar}. */
class PriceProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void servesPricesAndExitsZeroOnSigterm() throws Exception {
    Path prices = Files.writeString(dir.resolve("prices.txt"), "P123,19.99\nP124,49.5\n");
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("EVENT_LOOPS", "1", "PRICES_SOURCE", prices.toString()))) {
      service.awaitReady(Duration.ofSeconds(30));
      awaitListReady(service);

      HttpResponse<String> json = get(service, "/prices/P124");
      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.body()).isEqualTo("{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}");
      HttpResponse<String> compat = get(service, "/price?product_id=P123");
      assertThat(compat.statusCode()).isEqualTo(200);
      assertThat(compat.body()).isEqualTo("19.99");
      assertThat(service.output()).contains("loaded 2 prices from " + prices);

      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
      assertThat(service.output()).contains("shutting down").contains("stopped in");
    }
  }

  @Test
  void withoutPricesSourceTheSampleListInTheWorkingDirectoryIsServed() throws Exception {
    // Failsafe runs in the module's directory, which holds the sample prices.txt.
    Path sample = Path.of("prices.txt").toAbsolutePath();
    assertThat(sample).exists();
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("EVENT_LOOPS", "1"))) {
      service.awaitReady(Duration.ofSeconds(30));
      awaitListReady(service);
      assertThat(get(service, "/price?product_id=P124").body()).isEqualTo("49.5");
      assertThat(get(service, "/catalog").body()).contains("\"source\":\"" + sample + "\"");
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
    }
  }

  /**
   * Under the image's flags ({@code -XX:+ExitOnOutOfMemoryError}) and its Deployment's 128Mi, a list
   * too large for the heap is refused before it is allocated: the JVM lives on and serves the old list.
   */
  @Test
  void aListTooLargeForTheHeapIsRefusedAndTheOldOneServedUnderTheImagesFlags() throws Exception {
    Path prices = Files.writeString(dir.resolve("prices.txt"), "P123,19.99\nP124,49.5\n");
    Path flags = Path.of("src/main/jib/etc/footprint/jvm.options").toAbsolutePath();
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("EVENT_LOOPS", "1", "PRICES_SOURCE", prices.toString(), "PRICES_POLL_SECONDS", "1"),
        "@" + flags, "-XX:MaxRAM=128m")) {
      service.awaitReady(Duration.ofSeconds(30));
      awaitListReady(service);

      // A million products: 17 MiB of text, about 28 MiB as a catalog, against a 32 MiB heap.
      StringBuilder large = new StringBuilder(18 << 20);
      for (int i = 0; i < 1_000_000; i++) {
        large.append('Q').append(1_000_000 + i).append(",1.25\n");
      }
      Path next = dir.resolve("prices.next");
      Files.writeString(next, large);
      large = null;
      Files.move(next, prices, java.nio.file.StandardCopyOption.ATOMIC_MOVE);

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String catalog = "";
      while (!catalog.contains("not enough heap")) {
        assertThat(System.nanoTime()).as("a reload failure in /catalog: " + catalog).isLessThan(deadline);
        Thread.sleep(200);
        assertThat(service.isAlive()).as("JVM alive after the reload; its output:\n" + service.output()).isTrue();
        catalog = get(service, "/catalog").body();
      }
      assertThat(catalog).contains("\"products\":2");
      assertThat(get(service, "/prices/P124").body()).isEqualTo("{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}");
      assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(service.output()).contains("not enough heap to load the price list").doesNotContain("OutOfMemoryError");
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void aBadVariableStopsTheStartInOneLineWithExitCode2() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("PRICES_CURRENCY", "dollars"))) {
      assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(service.output().strip()).isEqualTo(
          "price-service: configuration error: PRICES_CURRENCY=\"dollars\" is invalid: expected 3 capital letters (ISO 4217), like USD");
    }
  }

  private void awaitListReady(ServiceProcess service) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (get(service, "/health/ready").statusCode() != 200) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("price list not ready:\n" + service.output());
      }
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> get(ServiceProcess service, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
