package dev.footprint.core;

import dev.footprint.core.health.HealthEndpoints;
import dev.footprint.core.http.Endpoints;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.LoadShedder;
import dev.footprint.core.metrics.HttpServerMetrics;
import dev.footprint.core.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;

/** One HTTP server on one event loop: core endpoints first, then the service's. */
final class HttpServerVerticle extends VerticleBase {
  private final HttpService service;
  private final ServiceContext context;
  private final HealthEndpoints health;
  private final Metrics metrics;
  private final HttpServerMetrics httpMetrics;
  private final LoadShedder shedder;
  private final int port;
  private final List<HttpServer> servers;

  HttpServerVerticle(HttpService service, ServiceContext context, HealthEndpoints health, Metrics metrics,
                     HttpServerMetrics httpMetrics, LoadShedder shedder, int port, List<HttpServer> servers) {
    this.service = service;
    this.context = context;
    this.health = health;
    this.metrics = metrics;
    this.httpMetrics = httpMetrics;
    this.shedder = shedder;
    this.port = port;
    this.servers = servers;
  }

  @Override
  public Future<?> start() {
    var config = context.config();
    Router router = Router.router(vertx);
    HttpErrors.install(router, config.maxBodyBytes());
    Endpoints endpoints = new Endpoints(router, shedder, config.maxBodyBytes());
    var everyRequest = router.route();
    if (httpMetrics != null) {
      everyRequest.handler(httpMetrics);
    }
    everyRequest.handler(new InstanceHeaders(context.instance()));
    // The service's endpoints first: routes are tried in order, and they take the traffic.
    service.endpoints(context, endpoints);
    router.get(HealthEndpoints.LIVE_PATH).setName(HealthEndpoints.LIVE_PATH).handler(health::live);
    router.get(HealthEndpoints.READY_PATH).setName(HealthEndpoints.READY_PATH).handler(health::ready);
    if (metrics != null) {
      router.get("/metrics").setName("/metrics").handler(metrics.scrapeHandler(vertx));
    }

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(port)
        .setIdleTimeout(config.idleTimeoutSeconds())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // HTTP/1.1 only, like the services this replaces: no h2c upgrade check on every request.
        .setHttp2ClearTextEnabled(false);
    HttpServer server = vertx.createHttpServer(options).requestHandler(router);
    if (httpMetrics != null) {
      server.connectionHandler(httpMetrics::connected);
    }
    return server.listen().onSuccess(servers::add);
  }
}
