package dev.footprint.core;

import dev.footprint.core.http.Endpoints;
import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static dev.footprint.core.testing.HttpAssertions.assertOkJson;
import static org.assertj.core.api.Assertions.assertThat;

/** Netty's DNS resolver only for a service that looks host names up; either way names still resolve. */
@ExtendWith(VertxExtension.class)
class DnsResolverChoiceTest {

  @Test
  void aServiceThatNeverConnectsOutGetsNoDnsResolverAndStillServes(Vertx vertx) throws Exception {
    try (TestServer server = TestServer.start(spec(false))) {
      VertxInternal serviceVertx = (VertxInternal) server.running().context().vertx();
      assertThat(serviceVertx.nameResolver().nettyAddressResolverGroup()).isInstanceOf(DefaultAddressResolverGroup.class);
      assertThat(serviceVertx.nameResolver().resolve("localhost").await(5, TimeUnit.SECONDS))
          .isEqualTo(InetAddress.getByName("localhost"));
      assertServes(vertx, server);
    }
    assertThat(System.getProperty("vertx.disableDnsResolver")).as("the switch is not left set for the JVM").isNull();
  }

  @Test
  void aServiceThatLooksNamesUpKeepsNettysNonBlockingResolver(Vertx vertx) throws Exception {
    try (TestServer server = TestServer.start(spec(true))) {
      VertxInternal serviceVertx = (VertxInternal) server.running().context().vertx();
      assertThat(serviceVertx.nameResolver().nettyAddressResolverGroup()).isNotInstanceOf(DefaultAddressResolverGroup.class);
      assertThat(serviceVertx.nameResolver().resolve("localhost").await(5, TimeUnit.SECONDS).isLoopbackAddress())
          .isTrue();
      assertServes(vertx, server);
    }
  }

  private static void assertServes(Vertx vertx, TestServer server) {
    TestClient client = new TestClient(vertx, server.port());
    try {
      assertThat(assertOkJson(client.get("/name"))).isEqualTo(new JsonObject().put("name", "resolver-sample"));
    } finally {
      client.close();
    }
  }

  private static ServiceSpec spec(boolean looksUpHostNames) {
    return new ServiceSpec("resolver-sample", 0, env -> new HttpService() {
      @Override
      public boolean looksUpHostNames() {
        return looksUpHostNames;
      }

      @Override
      public void endpoints(ServiceContext context, Endpoints endpoints) {
        endpoints.path("/name", r -> r.get(ctx -> ctx.json(new JsonObject().put("name", context.serviceName()))));
      }
    });
  }
}
