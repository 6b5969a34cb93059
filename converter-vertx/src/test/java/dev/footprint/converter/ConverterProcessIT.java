package dev.footprint.converter;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar as a user starts it: {@code java -jar converter-vertx.jar}. */
class ConverterProcessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsServesAndExitsZeroOnSigterm() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("EVENT_LOOPS", "1"))) {
      service.awaitReady(Duration.ofSeconds(30));
      assertThat(service.startupMillis()).isPositive();
      assertThat(service.output()).contains("converter-vertx ready port=" + service.port());

      HttpResponse<String> response = postConvert(service, "{\"fahrenheit\": 212}");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).matches("\\{\"celsius\":100\\.0,\"app_id\":\"[0-9a-f]{8}\"}");

      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
      assertThat(service.output()).contains("shutting down").contains("stopped in");
    }
  }

  /** What start-up and the first requests cost is what they load: neither Netty's DNS resolver nor JFR. */
  @Test
  void servesWithoutLoadingTheDnsResolverOrFlightRecorder() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("EVENT_LOOPS", "1"),
        "-Xlog:class+load=info:stdout")) {
      service.awaitReady(Duration.ofSeconds(30));
      for (int i = 0; i < 3; i++) {
        assertThat(postConvert(service, "{\"fahrenheit\": 32}").body()).startsWith("{\"celsius\":0.0,");
      }
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
      assertThat(service.output())
          .contains("io.netty.channel.epoll.EpollServerSocketChannel source:")
          .contains("io.netty.buffer.AdaptivePoolingAllocator source:")
          .doesNotContain("io.netty.resolver.dns.DnsNameResolver source:")
          .doesNotContain("jdk.jfr.internal.MetadataLoader source:")
          .doesNotContain("io.netty.buffer.AllocateBufferEvent source:");
    }
  }

  /**
   * With the image's flags the start's reflective calls (Vert.x probing for virtual threads, Netty
   * loading its library) go through JNI: no method-handle class is spun for reflection.
   */
  @Test
  void startsWithTheImagesFlagsWithoutSpinningClassesForReflection() throws Exception {
    String imageFlags = "@" + Path.of("src/main/jib/etc/footprint/jvm.options").toAbsolutePath();
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("EVENT_LOOPS", "1"),
        imageFlags, "-XX:+UnlockDiagnosticVMOptions", "-XX:LogClassLoadingCauseFor=java.lang.invoke.LambdaForm$MH",
        "-Xlog:class+load+cause=info:stdout")) {
      service.awaitReady(Duration.ofSeconds(30));
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
      assertThat(service.output())
          .contains("Java stack when loading java.lang.invoke.LambdaForm$MH")
          .doesNotContain("jdk.internal.reflect.MethodHandleAccessorFactory");
    }
  }

  /**
   * GC meters are read at the scrape: no GC notification listener, so the JDK builds no per-collection
   * GcInfo (its builder class is never loaded), and the counts still follow the collections.
   */
  @Test
  void reportsCollectionsWithoutSubscribingToGcNotifications() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("EVENT_LOOPS", "1"),
        "-XX:+UseSerialGC", "-Xmx16m", "-Xlog:class+load=info:stdout")) {
      service.awaitReady(Duration.ofSeconds(30));
      get(service, "/metrics");  // binds the runtime meters before the load
      // 40 batches of 10,000 values: tens of MiB of garbage for a 16 MiB heap.
      String batch = "{\"fahrenheit\": [" + String.join(",", java.util.Collections.nCopies(10_000, "98.6")) + "]}";
      for (int i = 0; i < 40; i++) {
        assertThat(postConvert(service, batch).body()).startsWith("{\"celsius\":[37.0,37.0,");
      }
      String scrape = get(service, "/metrics").body();
      assertThat(metricValue(scrape, "jvm_gc_pause_seconds_count{gc=\"Copy\",service=\"converter-vertx\"}")).isGreaterThanOrEqualTo(1);
      assertThat(metricValue(scrape, "jvm_gc_pause_seconds_sum{gc=\"Copy\",service=\"converter-vertx\"}")).isPositive();
      assertThat(metricValue(scrape, "jvm_gc_memory_allocated_bytes_total{service=\"converter-vertx\"}")).isGreaterThan(40 * 10_000 * 5);
      assertThat(metricValue(scrape, "jvm_gc_max_data_size_bytes{service=\"converter-vertx\"}")).isPositive();
      assertThat(service.terminate(Duration.ofSeconds(20))).isZero();
      assertThat(service.output())
          .contains("com.sun.management.internal.GarbageCollectorExtImpl source:")
          .doesNotContain("com.sun.management.internal.GcInfoBuilder source:");
    }
  }

  private HttpResponse<String> postConvert(ServiceProcess service, String json) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/convert"))
        .POST(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(ServiceProcess service, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static double metricValue(String scrape, String series) {
    return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
        .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
        .orElseThrow(() -> new AssertionError(series + " not in the scrape:\n" + scrape));
  }

  @Test
  void aBadVariableStopsTheStartInOneLineWithExitCode2() throws Exception {
    try (ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(), Map.of("MAX_BATCH_SIZE", "lots"))) {
      assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
      assertThat(service.output().strip())
          .isEqualTo("converter-vertx: configuration error: MAX_BATCH_SIZE=\"lots\" is invalid: expected an integer in 1..10000000");
    }
  }

  @Test
  void aPortInUseFailsTheStartWithExitCode1() throws Exception {
    try (var socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
         ServiceProcess service = ServiceProcess.start(ServiceProcess.jarFromSystemProperty(),
             Map.of("HTTP_PORT", String.valueOf(socket.getLocalPort())))) {
      assertThat(service.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(service.output()).contains("converter-vertx failed to start");
    }
  }
}
