package dev.footprint.core;

import dev.footprint.core.testing.RawHttp;
import dev.footprint.core.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness fails while an event loop is stuck, whichever loop answers the probe, and recovers after. */
class LivenessTest {

  @Test
  void aStuckEventLoopFailsLivenessOnTheOtherLoopAndRecovers() throws Exception {
    try (TestServer server = TestServer.start(SampleService.SPEC, Map.of("EVENT_LOOPS", "2", "EVENT_LOOP_STALL_SECONDS", "1"));
         // Vert.x hands connections to its loops in turn: the probe's and the blocker's land on different loops.
         RawHttp probe = new RawHttp(server.port(), 5_000);
         RawHttp blocker = new RawHttp(server.port(), 10_000)) {
      RawHttp.Response up = awaitLive(probe, 200);
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");
      CompletableFuture<RawHttp.Response> blocked = CompletableFuture.supplyAsync(() -> {
        try {
          return blocker.send(RawHttp.get("/block?ms=3000")).read();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      RawHttp.Response down = awaitLive(probe, 503);
      assertThat(down.body()).matches("\\{\"status\":\"DOWN\",\"reason\":\"event loop \\d has not run for over \\d+ ms\"}");
      assertThat(blocked.get().body()).isEqualTo("{\"blocked\":true}");
      assertThat(awaitLive(probe, 200).status()).as("liveness once the loop runs again").isEqualTo(200);
    }
  }

  /** Probes on one keep-alive connection until {@code status} (for at most 10 s); the last answer. */
  private static RawHttp.Response awaitLive(RawHttp probe, int status) throws Exception {
    RawHttp.Response answer = null;
    for (int attempt = 0; attempt < 100 && (answer == null || answer.status() != status); attempt++) {
      if (answer != null) {
        Thread.sleep(100);
      }
      answer = probe.send(RawHttp.get("/health/live")).read();
    }
    assertThat(answer.status()).as("liveness: %s", answer.body()).isEqualTo(status);
    return answer;
  }
}
