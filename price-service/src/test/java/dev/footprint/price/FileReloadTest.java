package dev.footprint.price;

import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** A file source changing under a running server: in place, by rename, by ConfigMap symlink swap. */
@ExtendWith(VertxExtension.class)
class FileReloadTest {
  private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);

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

  private void start(Vertx vertx, Path source, String pollSeconds) {
    server = TestServer.start(PriceApp.SPEC, Map.of("PRICES_SOURCE", source.toString(), "PRICES_POLL_SECONDS", pollSeconds));
    client = new TestClient(vertx, server.port(), 16);
    Await.until("ready", RELOAD_TIMEOUT, () -> client.get("/health/ready").statusCode() == 200);
  }

  /** The price exactly as the server wrote it, or the status when there is none. */
  private String price(String id) {
    return priceText(client, id);
  }

  static String priceText(TestClient client, String id) {
    var response = client.get("/prices/" + id);
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode();
    }
    var matcher = Pattern.compile("\"price\":([^,]+),").matcher(response.bodyAsString());
    return matcher.find() ? matcher.group(1) : response.bodyAsString();
  }

  /** Every product at the same price: a mix of two lists would show two prices in one answer. */
  private static String uniformList(int products, String price) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= products; i++) {
      text.append(PriceListFiles.id(i)).append(',').append(price).append('\n');
    }
    return text.toString();
  }

  @Test
  void aFileReplacedWhileClientsReadSwitchesWithoutOneFailedRequestOrAMixedAnswer(Vertx vertx) throws Exception {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), uniformList(20_000, "1.25"));
    start(vertx, file, "0");
    String body = "{\"productIds\": [\"P0000001\", \"P0010000\", \"P0020000\"]}";

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger newAnswers = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      readers.add(Thread.ofPlatform().start(() -> {
        boolean sawNew = false;
        while (!stop.get() && failures.size() < 10) {
          var response = client.post("/prices/lookup", body);
          requests.incrementAndGet();
          if (response.statusCode() != 200) {
            failures.add("HTTP " + response.statusCode() + " " + response.bodyAsString());
            continue;
          }
          Set<String> prices = new HashSet<>();
          response.bodyAsJsonObject().getJsonArray("prices").forEach(p -> prices.add(((JsonObject) p).getValue("price").toString()));
          boolean isNew = prices.equals(Set.of("2.5"));
          if (!isNew && !prices.equals(Set.of("1.25"))) {
            failures.add("mixed or wrong answer: " + response.bodyAsString());
          }
          if (sawNew && !isNew) {
            failures.add("old prices after new ones: " + response.bodyAsString());
          }
          sawNew |= isNew;
          if (isNew) {
            newAnswers.incrementAndGet();
          }
        }
      }));
    }
    Await.until("some requests before the change", RELOAD_TIMEOUT, () -> requests.get() > 200);
    PriceListFiles.replaceAtomically(file, uniformList(20_000, "2.5"));
    Await.until("answers with the new prices", RELOAD_TIMEOUT, () -> newAnswers.get() > 200 || !failures.isEmpty());
    stop.set(true);
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failures).isEmpty();
    assertThat(price("P0000001")).isEqualTo("2.5");
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"loaded\"")).isEqualTo(2);
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"failed\"")).isZero();
  }

  @Test
  void aKubernetesConfigMapSymlinkSwapIsSeenByTheDirectoryWatch(Vertx vertx) throws Exception {
    // The kubelet's layout: timestamped directory, ..data -> it, prices.txt -> ..data/prices.txt.
    Path first = Files.createDirectory(dir.resolve("..2026_11_24_08_00_00.000000001"));
    Files.writeString(first.resolve("prices.txt"), "P123,19.99\nP124,49.5\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    Path file = Files.createSymbolicLink(dir.resolve("prices.txt"), Path.of("..data/prices.txt"));
    // No polling: only the directory watch can see the swap.
    start(vertx, file, "0");
    assertThat(price("P124")).isEqualTo("49.5");

    // An update as the kubelet writes it: a new directory, a new link renamed over ..data, the old directory removed.
    Path second = Files.createDirectory(dir.resolve("..2026_11_24_09_00_00.000000002"));
    Files.writeString(second.resolve("prices.txt"), "P123,17.99\nP124,44.5\nP125,5\n");
    Path newLink = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
    Files.move(newLink, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(first.resolve("prices.txt"));
    Files.delete(first);

    Await.until("new prices after the swap", RELOAD_TIMEOUT, () -> price("P124").equals("44.5"));
    assertThat(price("P125")).isEqualTo("5");
    JsonObject catalog = assertOkJson(client.get("/catalog"));
    assertThat(catalog.getString("source")).isEqualTo(file.toString());
    assertThat(catalog.getString("origin")).isEqualTo(second.resolve("prices.txt").toRealPath().toString());
    assertThat(catalog.getInteger("products")).isEqualTo(3);
    assertThat(catalog.getJsonObject("lastReload").getString("trigger")).isEqualTo("watch");
  }

  @Test
  void aChangeTheDirectoryWatchCannotSeeIsFoundByPolling(Vertx vertx) throws Exception {
    // prices.txt links to a file in another directory: replacing that file raises no event where the watch is.
    Path watched = Files.createDirectory(dir.resolve("watched"));
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path target = PriceListFiles.write(elsewhere.resolve("current.txt"), "P1,1.00\n");
    Path file = Files.createSymbolicLink(watched.resolve("prices.txt"), target);
    start(vertx, file, "1");
    assertThat(price("P1")).isEqualTo("1.00");

    PriceListFiles.replaceAtomically(target, "P1,1.10\n");
    Await.until("new price found by the poll", RELOAD_TIMEOUT, () -> price("P1").equals("1.10"));
    assertThat(assertOkJson(client.get("/catalog")).getJsonObject("lastReload").getString("trigger")).isEqualTo("poll");
    // Polls of an unchanged file read nothing.
    double notModified = Scrape.value(client, "price_catalog_reloads_total", "outcome=\"not_modified\"");
    Await.until("a poll that found nothing new", RELOAD_TIMEOUT,
        () -> Scrape.value(client, "price_catalog_reloads_total", "outcome=\"not_modified\"") > notModified);
    assertThat(Scrape.value(client, "price_catalog_reloads_total", "outcome=\"loaded\"")).isEqualTo(2);
  }

  @Test
  void aFileRewrittenInPlaceIsLoadedOnceTheWritesSettle(Vertx vertx) throws Exception {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), "P1,1\n");
    start(vertx, file, "0");
    // Truncate, then write in two parts: the watch waits for quiet before it reads.
    try (var out = Files.newOutputStream(file)) {
      out.write("P1,2\nP2,".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      out.write("3\n".getBytes(StandardCharsets.US_ASCII));
    }
    Await.until("the rewritten list", RELOAD_TIMEOUT, () -> price("P2").equals("3"));
    assertThat(price("P1")).isEqualTo("2");
  }

  @Test
  void aDirectoryThatIsNeverQuietStillHasItsChangesLoaded(Vertx vertx) throws Exception {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), "P1,1\n");
    start(vertx, file, "0");
    // A log written next to the list every 50 ms: the watch never sees 200 ms of quiet.
    AtomicBoolean stop = new AtomicBoolean();
    Thread logger = Thread.ofPlatform().start(() -> {
      for (int i = 0; !stop.get(); i++) {
        PriceListFiles.write(dir.resolve("app.log"), "line " + i + "\n");
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      PriceListFiles.replaceAtomically(file, "P1,2\n");
      Await.until("the new list despite the noise", RELOAD_TIMEOUT, () -> price("P1").equals("2"));
    } finally {
      stop.set(true);
      logger.join();
    }
  }

  @Test
  void anOperatorReloadAnswersTheListItLeavesServed(Vertx vertx) {
    Path file = PriceListFiles.write(dir.resolve("prices.txt"), "P1,1\n");
    start(vertx, file, "0");
    String next = "P1,2.00\nP2,3\n";
    PriceListFiles.replaceAtomically(file, next);
    JsonObject answer = assertOkJson(client.post("/admin/reload", ""));
    // The watch may have loaded it first: then the operator's read finds it unchanged.
    assertThat(answer.getString("outcome")).isIn("loaded", "unchanged");
    assertThat(answer.getString("sha256")).isEqualTo(PriceListReloader.sha256(next.getBytes(StandardCharsets.US_ASCII)));
    assertThat(answer.getInteger("products")).isEqualTo(2);
    // Once the answer is in, the new list is what every lookup sees.
    assertThat(price("P1")).isEqualTo("2.00");

    // curl -X POST sends no Content-Type: accepted.
    var withoutType = client.raw().post("/admin/reload").send().await();
    assertThat(withoutType.statusCode()).isEqualTo(200);
    assertThat(withoutType.bodyAsJsonObject().getString("outcome")).isEqualTo("unchanged");
  }
}
