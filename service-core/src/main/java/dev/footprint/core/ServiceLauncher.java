package dev.footprint.core;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A service's {@code main}: configure logging, start, and on SIGTERM or SIGINT shut down gracefully
 * and exit 0. A bad configuration variable exits 2 with one line naming it; a failed start exits 1.
 */
public final class ServiceLauncher {
  private static final Logger LOG = Logger.getLogger(ServiceLauncher.class.getName());

  private ServiceLauncher() {
  }

  public static void launch(ServiceSpec spec) {
    applyPropertyDefaults(System.getProperties());
    Env env = Env.system();
    // Installed before the start, so that a SIGTERM just after the ready line drains (exit 0) instead
    // of meeting the JVM's default handler (exit 143). Before the service is up there is nothing to drain.
    AtomicReference<RunningService> up = new AtomicReference<>();
    boolean signalsHandled = Signals.onTermination(() -> {
      RunningService service = up.get();
      if (service != null) {
        service.shutdown();
      } else {
        System.exit(143);
      }
    });
    RunningService running;
    try {
      LogSetup.configure(logLevel(env));
      running = ServiceRunner.start(spec, env, up::set).await();
    } catch (ConfigException e) {
      System.err.println(spec.name() + ": configuration error: " + e.getMessage());
      System.exit(2);
      return;
    } catch (Exception e) {
      // Future.await rethrows checked causes too, such as a bind failure.
      LOG.log(Level.SEVERE, spec.name() + " failed to start: " + e.getMessage(), e);
      System.exit(1);
      return;
    }

    CountDownLatch stopped = new CountDownLatch(1);
    running.stopped().onComplete(ar -> stopped.countDown());
    if (!signalsHandled) {
      // Without sun.misc.Signal the JVM's own hook still drains, but the exit code is 143.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.shutdown();
        awaitQuietly(stopped, running.context().config().shutdownGraceSeconds()
            + running.context().config().shutdownDelaySeconds() + 5L);
      }, "graceful-shutdown"));
    }
    awaitQuietly(stopped, Long.MAX_VALUE);
    System.exit(0);
  }

  /**
   * JVM-wide defaults a command line can override. Netty's JFR events (buffer allocations): checking
   * them at the first request starts JDK Flight Recorder's metadata (about 130 classes, measured
   * 140 ms on the event loop before the first answer); a user profiling with JFR sets
   * {@code -Dio.netty.jfr.enabled=true}.
   */
  static void applyPropertyDefaults(java.util.Properties properties) {
    properties.putIfAbsent("io.netty.jfr.enabled", "false");
  }

  static LogSetup.LogLevel logLevel(Env env) {
    return env.choice("LOG_LEVEL", LogSetup.LogLevel.INFO);
  }

  /**
   * The environment variables {@code spec}'s service reads, core ones included, found by building its
   * configuration from an empty environment. The service's factory must only read configuration.
   */
  public static java.util.Set<String> variablesRead(ServiceSpec spec) {
    Env env = Env.of(java.util.Map.of());
    logLevel(env);
    dev.footprint.core.config.CoreConfig.from(env, spec.defaultPort());
    spec.factory().apply(env);
    return env.namesRead();
  }

  private static void awaitQuietly(CountDownLatch latch, long seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
