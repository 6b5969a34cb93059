package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A price list rewritten in place under a running server while clients look prices up: written
 * slowly (a state half-written for a while, its last line cut mid-price), or rewritten keeping its
 * size and modification time ({@code cp -p}, {@code rsync -t --inplace}). No client ever sees a price
 * that neither version had, nor a 404 for a product both have, and the new version is served.
 */
@ExtendWith(VertxExtension.class)
class ListRewriteUnderLoadTest {
  static final int PRODUCTS = 300;
  // Same length, so that the two lists are the same size: a rewrite in place keeps it.
  static final String OLD_PRICE = "100.25";
  static final String NEW_PRICE = "249.50";
  private static final Duration EVENTUALLY = Duration.ofSeconds(20);

  @TempDir
  Path dir;
  private TestServer server;
  private TestClient client;

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static byte[] list(String price) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= PRODUCTS; i++) {
      text.append(PriceListFiles.id(i)).append(',').append(price).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private void start(Vertx vertx, Path file) {
    // Polling every second as well as watching: either may look while the file is being written.
    server = TestServer.start(PriceApp.SPEC, Map.of("PRICES_SOURCE", file.toString(), "PRICES_POLL_SECONDS", "1"));
    client = new TestClient(vertx, server.port(), 8);
    Await.until("ready", EVENTUALLY, () -> client.get("/health/ready").statusCode() == 200);
  }

  @Test
  void aListWrittenSlowlyInPlaceIsNeverServedHalfWritten(Vertx vertx) throws Exception {
    Path file = Files.write(dir.resolve("prices.txt"), list(OLD_PRICE));
    start(vertx, file);
    LookupLoop lookups = new LookupLoop(4, PRODUCTS, OLD_PRICE, NEW_PRICE, id -> FileReloadTest.priceText(client, id));
    try {
      lookups.awaitRequests(200);
      // As a slow `cat new > prices.txt`: truncated, then written over about two seconds.
      writeSlowly(file, list(NEW_PRICE), StandardOpenOption.TRUNCATE_EXISTING);
      lookups.awaitNewAnswers(200);
    } finally {
      lookups.stop();
    }
    System.out.printf("slow in-place rewrite: %d lookups, %d wrong or failed%n", lookups.requests.get(), lookups.failures.size());
    assertThat(lookups.failures).as("answers no version of the list gives").isEmpty();
    assertThat(FileReloadTest.priceText(client, PriceListFiles.id(PRODUCTS))).isEqualTo(NEW_PRICE);
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"failed\"")).isZero();
  }

  @Test
  void aRewriteKeepingSizeAndModificationTimeIsPickedUp(Vertx vertx) throws Exception {
    Path file = Files.write(dir.resolve("prices.txt"), list(OLD_PRICE));
    FileTime modified = Files.getLastModifiedTime(file);
    start(vertx, file);
    LookupLoop lookups = new LookupLoop(4, PRODUCTS, OLD_PRICE, NEW_PRICE, id -> FileReloadTest.priceText(client, id));
    try {
      lookups.awaitRequests(200);
      // As `rsync -t --inplace` (or `cp -p` over the file): same inode, same size, the modification time set back.
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(list(NEW_PRICE)));
      }
      Files.setLastModifiedTime(file, modified);
      assertThat(Files.size(file)).isEqualTo(list(OLD_PRICE).length);
      lookups.awaitNewAnswers(200);
    } finally {
      lookups.stop();
    }
    assertThat(lookups.failures).as("answers no version of the list gives").isEmpty();
    assertThat(FileReloadTest.priceText(client, PriceListFiles.id(1))).isEqualTo(NEW_PRICE);
  }

  @Test
  void aStableListWhoseLastLineHasNoNewlineIsServedWhole(Vertx vertx) throws Exception {
    // As `printf 'P1,1.00\nP2,249.50' > prices.txt` writes it, and the Flask service read it.
    Path file = Files.writeString(dir.resolve("prices.txt"), "P1,1.00\nP2,249.50");
    start(vertx, file);
    assertThat(FileReloadTest.priceText(client, "P2")).isEqualTo("249.50");
  }

  /**
   * Writes {@code content} over {@code file} in pieces, 25 ms apart, each piece ending 11 bytes into
   * a line: every state in between ends with a line cut mid-price ({@code P0000123,24} of
   * {@code P0000123,249.50}), which parses, and lacks the products after it.
   */
  static void writeSlowly(Path file, byte[] content, OpenOption mode) throws IOException, InterruptedException {
    int lineLength = list(NEW_PRICE).length / PRODUCTS;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, mode)) {
      int offset = 0;
      for (int line = 3; offset < content.length; line += 4) {
        int cut = Math.min(content.length, line * lineLength + 11);
        channel.write(ByteBuffer.wrap(content, offset, cut - offset));
        offset = cut;
        Thread.sleep(25);
      }
    }
  }
}
