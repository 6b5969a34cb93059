package dev.footprint.core.config;

/**
 * The settings every service shares, read from the environment. Each field's variable, default and
 * range are documented in the README's configuration table.
 *
 * @param host             HTTP_HOST: interface to listen on
 * @param port             HTTP_PORT: port to listen on; 0 picks a free one
 * @param eventLoops       EVENT_LOOPS: event loop threads, one HTTP server instance each
 * @param maxBodyBytes     MAX_BODY_BYTES: largest request body accepted; more gets 413
 * @param idleTimeoutSeconds IDLE_TIMEOUT_SECONDS: a connection the client sent nothing on for this long is closed; 0 never
 * @param shutdownGraceSeconds SHUTDOWN_GRACE_SECONDS: how long requests in flight may take to finish on SIGTERM
 * @param shutdownDelaySeconds SHUTDOWN_DELAY_SECONDS: time between readiness turning false and the listener closing
 * @param maxInflightRequests MAX_INFLIGHT_REQUESTS: requests in progress (body received) before new ones are shed with 503
 * @param maxConnections   MAX_CONNECTIONS: open connections; past it a new one displaces the longest-waiting idle one, or gets 503
 * @param headerTimeoutSeconds REQUEST_HEADER_TIMEOUT_SECONDS: time for a request head to arrive (from its first byte, or from accept)
 * @param bodyTimeoutSeconds REQUEST_BODY_TIMEOUT_SECONDS: time for a request body to arrive, in total, from the end of its head
 * @param maxPendingBodyBytes MAX_PENDING_BODY_BYTES: bytes of request bodies over 1 KiB being received at once, across connections
 * @param eventLoopStallSeconds EVENT_LOOP_STALL_SECONDS: an event loop late by this much makes liveness fail
 * @param metricsEnabled   METRICS_ENABLED: Micrometer metrics and GET /metrics
 * @param httpMetrics      HTTP_METRICS: lean (the core's, default) or vertx (Vert.x's own, slower)
 * @param nativeTransport  NATIVE_TRANSPORT: epoll on Linux instead of Java NIO
 * @param workerThreads    WORKER_THREADS: Vert.x worker pool for blocking work (file loads, scrapes)
 * @param maxConnectionAgeSeconds MAX_CONNECTION_AGE_SECONDS: a keep-alive connection older than this gets
 *                         Connection: close on its next answer (clients then reach pods added since); 0 never
 * @param warmupSeconds    WARMUP_SECONDS: at most this long, before readiness, the service sends itself its
 *                         main request until the JIT has compiled its hot path; 0 skips the warm-up
 * @param podName          POD_NAME: the pod's name (Kubernetes downward API), or null outside a pod
 */
public record CoreConfig(
    String host,
    int port,
    int eventLoops,
    int maxBodyBytes,
    int idleTimeoutSeconds,
    int shutdownGraceSeconds,
    int shutdownDelaySeconds,
    int maxInflightRequests,
    int maxConnections,
    int headerTimeoutSeconds,
    int bodyTimeoutSeconds,
    long maxPendingBodyBytes,
    int eventLoopStallSeconds,
    boolean metricsEnabled,
    HttpMetricsMode httpMetrics,
    boolean nativeTransport,
    int workerThreads,
    int maxConnectionAgeSeconds,
    int warmupSeconds,
    String podName) {

  public static CoreConfig from(Env env, int defaultPort) {
    return new CoreConfig(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.integer("HTTP_PORT", defaultPort, 0, 65535),
        env.integer("EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 1024),
        env.integer("MAX_BODY_BYTES", 256 * 1024, 64, 64 * 1024 * 1024),
        env.integer("IDLE_TIMEOUT_SECONDS", 60, 0, 86_400),
        env.integer("SHUTDOWN_GRACE_SECONDS", 10, 0, 3_600),
        env.integer("SHUTDOWN_DELAY_SECONDS", 0, 0, 3_600),
        env.integer("MAX_INFLIGHT_REQUESTS", 4096, 1, 1_000_000),
        env.integer("MAX_CONNECTIONS", MemoryBudget.defaultMaxConnections(), 1, 1_000_000),
        env.integer("REQUEST_HEADER_TIMEOUT_SECONDS", 10, 1, 3_600),
        env.integer("REQUEST_BODY_TIMEOUT_SECONDS", 30, 1, 3_600),
        env.longValue("MAX_PENDING_BODY_BYTES", MemoryBudget.defaultMaxPendingBodyBytes(), 1024, 1L << 40),
        env.integer("EVENT_LOOP_STALL_SECONDS", 5, 1, 3_600),
        env.bool("METRICS_ENABLED", true),
        env.choice("HTTP_METRICS", HttpMetricsMode.LEAN),
        env.bool("NATIVE_TRANSPORT", true),
        env.integer("WORKER_THREADS", 4, 1, 1024),
        env.integer("MAX_CONNECTION_AGE_SECONDS", 0, 0, 86_400),
        env.integer("WARMUP_SECONDS", 0, 0, 600),
        podName(env));
  }

  /** Who records the HTTP server metrics: see {@link dev.footprint.core.metrics.HttpServerMetrics}. */
  public enum HttpMetricsMode { LEAN, VERTX }

  /** POD_NAME if set; inside Kubernetes without it, HOSTNAME, which the kubelet sets to the pod name. */
  private static String podName(Env env) {
    String pod = env.raw("POD_NAME");
    if (pod == null && env.raw("KUBERNETES_SERVICE_HOST") != null) {
      pod = env.raw("HOSTNAME");
    }
    return pod;
  }
}
