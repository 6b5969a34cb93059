package dev.footprint.price;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.footprint.price.ListRewriteUnderLoadTest.NEW_PRICE;
import static dev.footprint.price.ListRewriteUnderLoadTest.OLD_PRICE;
import static dev.footprint.price.ListRewriteUnderLoadTest.PRODUCTS;
import static dev.footprint.price.ListRewriteUnderLoadTest.list;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-client suite's list rewrite, against the runnable jar with the image's JVM flags: the
 * list rewritten slowly in place, then rewritten back keeping its size and modification time, while
 * clients look prices up. Never a 404 or a price no version had, both rewrites served, the peak RSS
 * under the Deployment's 128Mi limit, exit 0 on SIGTERM.
 */
class ListRewriteProcessIT {
  private static final Path IMAGE_FLAGS = Path.of("src/main/jib/etc/footprint/jvm.options");
  private static final long MEMORY_LIMIT_BYTES = 128L * 1024 * 1024;
  private static final Pattern PRICE = Pattern.compile("\"price\":([^,]+),");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  @Test
  void aListRewrittenInPlaceUnderLoadIsNeverServedHalfWrittenAndAlwaysPickedUp() throws Exception {
    Path file = Files.write(dir.resolve("prices.txt"), list(OLD_PRICE));
    FileTime oldModified = Files.getLastModifiedTime(file);
    // MaxRAM stands for the pod's memory limit, which the JVM would read from its cgroup.
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
        Map.of("EVENT_LOOPS", "1", "PRICES_SOURCE", file.toString(), "PRICES_POLL_SECONDS", "1"),
        "@" + IMAGE_FLAGS.toAbsolutePath(), "-XX:MaxRAM=" + MEMORY_LIMIT_BYTES)) {
      service.awaitReady(Duration.ofSeconds(30));
      Await.until("the list loaded", Duration.ofSeconds(20), () -> priceText(service, PriceListFiles.id(1)).equals(OLD_PRICE));

      LookupLoop slowRewrite = new LookupLoop(4, PRODUCTS, OLD_PRICE, NEW_PRICE, id -> priceText(service, id));
      try {
        slowRewrite.awaitRequests(200);
        ListRewriteUnderLoadTest.writeSlowly(file, list(NEW_PRICE), StandardOpenOption.TRUNCATE_EXISTING);
        slowRewrite.awaitNewAnswers(200);
      } finally {
        slowRewrite.stop();
      }

      // Back to the old prices as `cp -p` or `rsync -t --inplace` would: same inode, size and modification time.
      LookupLoop sameSizeAndTime = new LookupLoop(4, PRODUCTS, NEW_PRICE, OLD_PRICE, id -> priceText(service, id));
      try {
        sameSizeAndTime.awaitRequests(200);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
          channel.write(ByteBuffer.wrap(list(OLD_PRICE)));
        }
        Files.setLastModifiedTime(file, oldModified);
        sameSizeAndTime.awaitNewAnswers(200);
      } finally {
        sameSizeAndTime.stop();
      }

      long peakRss = service.peakRssBytes();
      System.out.printf("list rewrites against the jar: %d lookups, %d wrong or failed; peak RSS %d MiB%n",
          slowRewrite.requests.get() + sameSizeAndTime.requests.get(),
          slowRewrite.failures.size() + sameSizeAndTime.failures.size(), peakRss >> 20);
      assertThat(slowRewrite.failures).as("answers during the slow rewrite").isEmpty();
      assertThat(sameSizeAndTime.failures).as("answers during the same-size, same-time rewrite").isEmpty();
      assertThat(peakRss).as("peak RSS").isLessThan(MEMORY_LIMIT_BYTES);
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
    }
  }

  private String priceText(ServiceProcess service, String id) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + service.port() + "/prices/" + id)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return "HTTP " + response.statusCode();
      }
      Matcher matcher = PRICE.matcher(response.body());
      return matcher.find() ? matcher.group(1) : response.body();
    } catch (Exception e) {
      return "HTTP failed: " + e;
    }
  }

}
