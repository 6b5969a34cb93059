package dev.footprint.core;

import dev.footprint.core.health.HealthEndpoints;
import dev.footprint.core.http.Endpoints;
import dev.footprint.core.http.HeadResponses;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.OpenApi;
import dev.footprint.core.http.StrictRequests;
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
  private final ServerParts parts;
  private final int port;
  private final List<HttpServer> servers;
  private final List<Router> routers;

  HttpServerVerticle(HttpService service, ServiceContext context, ServerParts parts, int port, List<HttpServer> servers,
                     List<Router> routers) {
    this.service = service;
    this.context = context;
    this.parts = parts;
    this.port = port;
    this.servers = servers;
    this.routers = routers;
  }

  @Override
  public Future<?> start() {
    var config = context.config();
    Router router = Router.router(vertx);
    HttpErrors.install(router, config.maxBodyBytes());
    Endpoints endpoints = new Endpoints(router, parts.shedder(), config.maxBodyBytes(), parts.pendingBodies());
    var everyRequest = router.route();
    if (parts.httpMetrics() != null) {
      everyRequest.handler(parts.httpMetrics());
    }
    everyRequest.handler(new InstanceHeaders(context.instance())).handler(HeadResponses.INSTANCE);
    // The service's endpoints first: routes are tried in order, and they take the traffic.
    service.endpoints(context, endpoints);
    HealthEndpoints health = parts.health();
    endpoints.path(HealthEndpoints.LIVE_PATH, r -> r.getUnlimited(health::live))
        .path(HealthEndpoints.READY_PATH, r -> r.getUnlimited(health::ready));
    endpoints.path(OpenApi.PATH, r -> r.get(OpenApi.handler(parts.openApi())));
    if (parts.metrics() != null) {
      endpoints.path("/metrics", r -> r.getUnlimited(parts.metrics().scrapeHandler(vertx)));
    }

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(port)
        .setIdleTimeout(config.idleTimeoutSeconds())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        // HTTP/1.1 only, like the services this replaces: no h2c upgrade check on every request.
        .setHttp2ClearTextEnabled(false);
    HttpServer server = vertx.createHttpServer(options)
        .requestHandler(StrictRequests.checkedBefore(router))
        .invalidRequestHandler(StrictRequests::invalid);
    parts.connections().install(vertx, server, options);
    parts.loops().watchCurrentLoop(vertx);
    return server.listen().onSuccess(listening -> {
      servers.add(listening);
      routers.add(router);
    });
  }
}
