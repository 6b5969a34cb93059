package dev.footprint.core;

import dev.footprint.core.config.CoreConfig;
import dev.footprint.core.config.Env;
import dev.footprint.core.connection.ConnectionGuard;
import dev.footprint.core.health.EventLoopWatch;
import dev.footprint.core.health.HealthEndpoints;
import dev.footprint.core.health.Readiness;
import dev.footprint.core.http.LoadShedder;
import dev.footprint.core.http.OpenApi;
import dev.footprint.core.http.PendingBodies;
import dev.footprint.core.metrics.HttpServerMetrics;
import dev.footprint.core.metrics.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.MicrometerMetricsFactory;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;

/** Starts a service: Vert.x, one HTTP server per event loop, health, metrics; then says it is ready. */
public final class ServiceRunner {
  private static final String LIFECYCLE_CHECK = "lifecycle";
  private static final String DISABLE_DNS_RESOLVER = "vertx.disableDnsResolver";

  private ServiceRunner() {
  }

  /**
   * Builds the service from {@code env} and starts it. Configuration errors are thrown at once, as
   * {@link dev.footprint.core.config.ConfigException}; start failures (a port in use) fail the future.
   */
  public static Future<RunningService> start(ServiceSpec spec, Env env) {
    return start(spec, env, running -> { });
  }

  /**
   * As {@link #start(ServiceSpec, Env)}, handing the running service to {@code beforeReady} just
   * before readiness turns up and the ready line is logged: whoever must stop it (a signal handler)
   * has it by the time a probe can see it ready.
   */
  public static Future<RunningService> start(ServiceSpec spec, Env env, Consumer<RunningService> beforeReady) {
    CoreConfig config = CoreConfig.from(env, spec.defaultPort());
    HttpService service = spec.factory().apply(env);
    InstanceId instance = InstanceId.random(config.podName());
    Metrics metrics = config.metricsEnabled() ? new Metrics(spec.name(), instance.appId()) : null;
    MeterRegistry registry = metrics != null ? metrics.registry() : new CompositeMeterRegistry();

    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(config.eventLoops())
        .setWorkerPoolSize(config.workerThreads())
        .setPreferNativeTransport(config.nativeTransport())
        // No classpath file cache: nothing is written under the working directory or /tmp.
        .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
    if (metrics != null) {
      options.setMetricsOptions(metrics.vertxOptions(config.httpMetrics() == CoreConfig.HttpMetricsMode.VERTX));
    }
    ConnectionGuard connections = new ConnectionGuard(config.maxConnections(), config.headerTimeoutSeconds(),
        config.bodyTimeoutSeconds(), config.maxConnectionAgeSeconds(), instance.appId());
    VertxBuilder builder = Vertx.builder().with(options).withTransport(connections.transport(config.nativeTransport()));
    if (metrics != null) {
      builder.withMetrics(new MicrometerMetricsFactory(metrics.registry()));
    }
    Vertx vertx = build(builder, service.looksUpHostNames());

    Readiness readiness = new Readiness();
    readiness.register(LIFECYCLE_CHECK, "starting");
    ServiceContext context = new ServiceContext(spec.name(), vertx, config, env, instance, readiness, registry);
    LoadShedder shedder = new LoadShedder(config.maxInflightRequests());
    PendingBodies pendingBodies = new PendingBodies(config.maxPendingBodyBytes());
    EventLoopWatch loops = new EventLoopWatch(config.eventLoops(), config.eventLoopStallSeconds());
    if (metrics != null) {
      shedder.bindTo(registry);
      pendingBodies.bindTo(registry);
      connections.bindTo(registry);
      loops.bindTo(registry);
    }
    HttpServerMetrics httpMetrics = metrics != null && config.httpMetrics() == CoreConfig.HttpMetricsMode.LEAN
        ? new HttpServerMetrics(registry, connections::openConnections) : null;
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    List<Router> routers = new CopyOnWriteArrayList<>();
    List<HttpServerVerticle.Http2Server> http2Servers = new CopyOnWriteArrayList<>();

    // Port 0 means "any free port": Vert.x shares one random port among instances given a negative port.
    int listenPort = config.port() == 0 ? -1 : config.port();
    return service.start(context)
        .compose(v -> {
          ServerParts parts = new ServerParts(new HealthEndpoints(vertx, readiness, loops), loops, shedder,
              pendingBodies, connections, metrics, httpMetrics, openApi(spec, service, config));
          List<Http2Listener> listeners = List.copyOf(service.http2Listeners(context));
          return vertx.deployVerticle(
              () -> new HttpServerVerticle(service, context, parts, listenPort, servers, routers, listeners, http2Servers),
              new DeploymentOptions().setInstances(config.eventLoops()));
        })
        .map(deployment -> servers.get(0).actualPort())
        // With a warm-up, the JVM's meters are bound before it: binding them after (on a worker, its
        // result handed back to the loop, Micrometer's maps and strings) sent C2's code of shared
        // methods back to the interpreter just as traffic arrived. Without one, after ready: a faster start.
        .compose(port -> metrics != null && config.warmupSeconds() > 0 ? metrics.bindRuntimeMetrics(vertx).transform(bound -> Future.succeededFuture(port)) : Future.succeededFuture(port))
        .compose(port -> Warmup.run(vertx, port, service.warmupRequests(), config.warmupSeconds(), 4 * config.eventLoops())
            .map(port))
        .map(port -> {
          long startupMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
          RunningService running = new RunningService(service, context, servers, routers, http2Servers, shedder, connections,
              port, startupMillis);
          beforeReady.accept(running);
          lifecycle(context).up(new JsonObject().put("app_id", instance.appId()));
          if (running.shuttingDown()) {
            // A signal came in between; its shutdown may have marked readiness down before the line above.
            lifecycle(context).down("shutting down");
          }
          StringBuilder ports = new StringBuilder();
          running.http2Ports().forEach((name, http2Port) -> ports.append(' ').append(name).append("_port=").append(http2Port));
          Logger.getLogger(ServiceRunner.class.getName()).info(() -> String.format(
              "%s ready port=%d%s app_id=%s pod=%s event_loops=%d native_transport=%s startup_ms=%d",
              spec.name(), port, ports, instance.appId(), instance.podName() == null ? "-" : instance.podName(),
              config.eventLoops(), vertx.isNativeTransportEnabled(), startupMillis));
          if (metrics != null && config.warmupSeconds() <= 0) {
            metrics.bindRuntimeMetrics(vertx);
          }
          return running;
        })
        .recover(failure -> vertx.close().transform(ignored -> Future.failedFuture(failure)));
  }

  /**
   * Vert.x chooses its address resolver from a system property read while it is built; the property
   * is set for that moment only, so a JVM running several services (tests) gets each one's choice.
   */
  /**
   * The OpenAPI document, encoded once: the core's merged with {@code openapi/<service>.json} from the
   * service's class path (none: the core's alone), its placeholders filled with the limits in force.
   */
  static Buffer openApi(ServiceSpec spec, HttpService service, CoreConfig config) {
    Map<String, Object> values = new HashMap<>(service.openApiValues());
    values.put("SERVICE", spec.name());
    String version = service.getClass().getPackage().getImplementationVersion();
    values.put("VERSION", version == null ? "dev" : version);
    values.put("MAX_BODY_BYTES", config.maxBodyBytes());
    values.put("MAX_INFLIGHT_REQUESTS", config.maxInflightRequests());
    values.put("REQUEST_HEADER_TIMEOUT_SECONDS", config.headerTimeoutSeconds());
    values.put("REQUEST_BODY_TIMEOUT_SECONDS", config.bodyTimeoutSeconds());
    JsonObject own = OpenApi.readIfPresent(service.getClass().getClassLoader(), "openapi/" + spec.name() + ".json");
    JsonObject document = OpenApi.build(own, values);
    if (!config.metricsEnabled()) {
      document.getJsonObject("paths").remove("/metrics");
    }
    return document.toBuffer();
  }

  static synchronized Vertx build(VertxBuilder builder, boolean dnsResolver) {
    String previous = System.getProperty(DISABLE_DNS_RESOLVER);
    if (dnsResolver || previous != null) {
      return builder.build();  // -Dvertx.disableDnsResolver given on the command line wins
    }
    System.setProperty(DISABLE_DNS_RESOLVER, "true");
    try {
      return builder.build();
    } finally {
      System.clearProperty(DISABLE_DNS_RESOLVER);
    }
  }

  static Readiness.Check lifecycle(ServiceContext context) {
    return context.readiness().check(LIFECYCLE_CHECK);
  }
}
