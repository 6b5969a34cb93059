package dev.footprint.converter;

import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A concurrency smoke: 20,000 requests over 64 connections, every answer correct, none failed. */
@ExtendWith(VertxExtension.class)
class ConcurrencyTest {
  private static final int REQUESTS = 20_000;
  private static final int CONNECTIONS = 64;

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void everyConcurrentRequestGetsItsOwnCorrectAnswer(Vertx vertx, VertxTestContext test) throws InterruptedException {
    TestServer server = TestServer.start(ConverterApp.SPEC);
    WebClient client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Set<String> appIdsSeen = ConcurrentHashMap.newKeySet();
    Runnable[] worker = new Runnable[1];
    worker[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= REQUESTS) {
        return;
      }
      double fahrenheit = i * 0.5 - 2_000;
      client.request(HttpMethod.POST, "/convert")
          .sendJsonObject(new JsonObject().put("fahrenheit", fahrenheit))
          .onComplete(test.succeeding(response -> test.verify(() -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyAsJsonObject().getDouble("celsius")).isEqualTo(Temperature.fahrenheitToCelsius(fahrenheit));
            appIdsSeen.add(response.getHeader("X-App-Id"));
            if (done.incrementAndGet() == REQUESTS) {
              client.close();
              server.running().shutdown().onComplete(test.succeedingThenComplete());
            } else {
              worker[0].run();
            }
          })));
    };
    for (int c = 0; c < CONNECTIONS; c++) {
      worker[0].run();
    }
    test.awaitCompletion(60, TimeUnit.SECONDS);
    assertThat(appIdsSeen).hasSize(1);
    assertThat(done.get()).isEqualTo(REQUESTS);
  }

}
