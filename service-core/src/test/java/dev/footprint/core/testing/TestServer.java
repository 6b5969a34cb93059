package dev.footprint.core.testing;

import dev.footprint.core.RunningService;
import dev.footprint.core.ServiceRunner;
import dev.footprint.core.ServiceSpec;
import dev.footprint.core.config.Env;

import java.util.HashMap;
import java.util.Map;

/**
 * A real service on a random loopback port, for tests. Starts with two event loops, like a pod with
 * two CPUs, unless the test's environment says otherwise.
 */
public final class TestServer implements AutoCloseable {
  private final RunningService running;

  private TestServer(RunningService running) {
    this.running = running;
  }

  public static TestServer start(ServiceSpec spec) {
    return start(spec, Map.of());
  }

  public static TestServer start(ServiceSpec spec, Map<String, String> env) {
    Map<String, String> vars = new HashMap<>();
    vars.put("HTTP_HOST", "127.0.0.1");
    vars.put("HTTP_PORT", "0");
    // A service's other listeners (model-serving's gRPC) on free ports too, so tests never collide.
    vars.put("GRPC_PORT", "0");
    vars.put("EVENT_LOOPS", "2");
    vars.putAll(env);
    return new TestServer(ServiceRunner.start(spec, Env.of(vars)).await());
  }

  public int port() {
    return running.port();
  }

  public RunningService running() {
    return running;
  }

  @Override
  public void close() {
    running.shutdown().await();
  }
}
