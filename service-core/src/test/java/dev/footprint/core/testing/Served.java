package dev.footprint.core.testing;

import dev.footprint.core.ServiceSpec;
import io.vertx.core.Vertx;

import java.util.Map;

/** A {@link TestServer} with a {@link TestClient} on its port, closed together: one field for a test class. */
public record Served(TestServer server, TestClient client) implements AutoCloseable {
  public static Served start(Vertx vertx, ServiceSpec spec, Map<String, String> env) {
    TestServer server = TestServer.start(spec, env);
    return new Served(server, new TestClient(vertx, server.port()));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    client.close();
    server.close();
  }
}
