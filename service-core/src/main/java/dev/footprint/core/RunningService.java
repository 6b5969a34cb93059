package dev.footprint.core;

import dev.footprint.core.connection.ConnectionGuard;
import dev.footprint.core.http.LoadShedder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A started service: its port and its orderly shutdown. */
public final class RunningService {
  private static final Logger LOG = Logger.getLogger(RunningService.class.getName());
  private static final long DRAIN_POLL_MILLIS = 20;

  private final HttpService service;
  private final ServiceContext context;
  private final List<HttpServer> servers;
  private final List<Router> routers;
  private final List<HttpServerVerticle.Http2Server> http2Servers;
  private final LoadShedder shedder;
  private final ConnectionGuard connections;
  private final int port;
  private final long startupMillis;
  private final Promise<Void> stopped = Promise.promise();
  private final AtomicReference<Future<Void>> shutdown = new AtomicReference<>();

  RunningService(HttpService service, ServiceContext context, List<HttpServer> servers, List<Router> routers,
                 List<HttpServerVerticle.Http2Server> http2Servers, LoadShedder shedder, ConnectionGuard connections, int port,
                 long startupMillis) {
    this.service = service;
    this.context = context;
    this.servers = servers;
    this.routers = routers;
    this.http2Servers = http2Servers;
    this.shedder = shedder;
    this.connections = connections;
    this.port = port;
    this.startupMillis = startupMillis;
  }

  public int port() {
    return port;
  }

  /** The port of the HTTP/2 listener called {@code name} (every loop's server shares it). */
  public int port(String name) {
    Integer port = http2Ports().get(name);
    if (port == null) {
      throw new IllegalArgumentException("no listener called " + name);
    }
    return port;
  }

  /** Each HTTP/2 listener's port, by name, in the order the service declared them. */
  public Map<String, Integer> http2Ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (HttpServerVerticle.Http2Server server : http2Servers) {
      ports.putIfAbsent(server.name(), server.server().actualPort());
    }
    return ports;
  }

  /** The routes one event loop's server has (every loop's are the same): to hold a document of the API to them. */
  public List<Route> routes() {
    return routers.get(0).getRoutes();
  }

  public ServiceContext context() {
    return context;
  }

  public Vertx vertx() {
    return context.vertx();
  }

  /** Requests to the service's endpoints in progress now. */
  public int inflightRequests() {
    return shedder.inflight();
  }


  /** Milliseconds from JVM start to ready. */
  public long startupMillis() {
    return startupMillis;
  }

  /** Completes when the service has stopped, whoever stopped it. */
  public Future<Void> stopped() {
    return stopped.future();
  }

  /** Whether {@link #shutdown()} has been called. */
  boolean shuttingDown() {
    return shutdown.get() != null;
  }

  /**
   * Stops as Kubernetes expects: readiness turns false and every response from then on says
   * {@code Connection: close} (idle connections are closed), the listener keeps serving for the
   * shutdown delay (endpoints need time to drop this pod), then waits, for up to the shutdown grace,
   * until the clients have closed their connections, then stops accepting and lets requests still in
   * flight finish within what is left of the grace; then the service stops and Vert.x closes. A client
   * that honours {@code Connection: close} loses no request. Idempotent.
   *
   * <p>The steps run on a plain thread of their own: callbacks bound to Vert.x's event loops would
   * never run once Vert.x closes them.
   */
  public Future<Void> shutdown() {
    Promise<Void> mine = Promise.promise();
    if (!shutdown.compareAndSet(null, mine.future())) {
      return shutdown.get();
    }
    // Readiness turns false at once, before this method returns.
    ServiceRunner.lifecycle(context).down("shutting down");
    connections.drain();
    Thread.ofPlatform().name("graceful-shutdown").start(() -> {
      runShutdown();
      mine.complete();
      stopped.tryComplete();
    });
    return mine.future();
  }

  private void runShutdown() {
    var config = context.config();
    long started = System.nanoTime();
    int openAtStart = connections.openConnections();
    long closedBefore = connections.closedByDrain();
    LOG.info(() -> "shutting down: delay=" + config.shutdownDelaySeconds() + "s grace=" + config.shutdownGraceSeconds()
        + "s, " + openAtStart + " connections open");
    try {
      Thread.sleep(TimeUnit.SECONDS.toMillis(config.shutdownDelaySeconds()));
      long graceEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.shutdownGraceSeconds());
      // HTTP/2 has its own way to say "no more": GOAWAY at once, then each connection closes when its
      // calls in progress end (and the grace bounds them); the HTTP/1.1 connections are counted with them.
      List<Future<Void>> http2Drains = http2Servers.stream()
          .map(server -> server.server().shutdown(TimeUnit.SECONDS.toMillis(config.shutdownGraceSeconds()), TimeUnit.MILLISECONDS))
          .toList();
      awaitConnectionsClosed(graceEnds);
      long closedIdle = connections.closedByDrain() - closedBefore;
      LOG.info(() -> "drained in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms: "
          + closedIdle + " idle connections closed by the drain, "
          + connections.openConnections() + " still open");
      long graceLeftMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(graceEnds - System.nanoTime()));
      Future.join(servers.stream()
          .map(server -> server.shutdown(graceLeftMillis, TimeUnit.MILLISECONDS))
          .toList()).await();
      Future.join(http2Drains).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "listeners did not drain cleanly", e);
    }
    try {
      service.stop().await();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "service did not stop cleanly", e);
    }
    context.vertx().close().await();
    LOG.info(() -> "stopped in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
  }

  /**
   * Waits, within the grace, until clients have closed their connections: each one's next request
   * is answered with {@code Connection: close}, and the guard closes those idle for two seconds.
   * Only then does Vert.x's own shutdown run, which closes every connection still open at once,
   * racing any request a client is writing on one. (In the cluster's drills requests are still lost
   * in the second a pod stops, in some runs: README, "Drills in the cluster".)
   */
  private void awaitConnectionsClosed(long deadlineNanos) throws InterruptedException {
    int open = connections.openConnections();
    while (open > 0 && System.nanoTime() - deadlineNanos < 0) {
      Thread.sleep(DRAIN_POLL_MILLIS);
      open = connections.openConnections();
    }
    if (open > 0) {
      int left = open;
      LOG.info(() -> left + " connections still open when the shutdown grace ended: closing them");
    }
  }

}
