package dev.footprint.converter;

import dev.footprint.core.testing.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/convert"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"fahrenheit\": 212}"))
          .header("Content-Type", "application/json")
          .build(), HttpResponse.BodyHandlers.ofString());
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
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/convert"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"fahrenheit\": 32}"))
            .header("Content-Type", "application/json")
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).startsWith("{\"celsius\":0.0,");
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
