package dev.footprint.core;

import dev.footprint.core.health.HealthEndpoints;
import dev.footprint.core.config.CoreConfig;
import dev.footprint.core.http.DirectPosts;
import dev.footprint.core.http.Endpoints;
import dev.footprint.core.http.HeadResponses;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.OpenApi;
import dev.footprint.core.http.StrictRequests;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * One HTTP server on one event loop, core endpoints first, then the service's; and one server for
 * each of the service's HTTP/2 listeners.
 */
final class HttpServerVerticle extends VerticleBase {
  private final HttpService service;
  private final ServiceContext context;
  private final ServerParts parts;
  private final int port;
  private final List<HttpServer> servers;
  private final List<Router> routers;
  private final List<Http2Listener> listeners;
  private final List<Http2Server> http2Servers;

  HttpServerVerticle(HttpService service, ServiceContext context, ServerParts parts, int port, List<HttpServer> servers,
                     List<Router> routers, List<Http2Listener> listeners, List<Http2Server> http2Servers) {
    this.service = service;
    this.context = context;
    this.parts = parts;
    this.port = port;
    this.servers = servers;
    this.routers = routers;
    this.listeners = listeners;
    this.http2Servers = http2Servers;
  }

  /** A server of an HTTP/2 listener, as it listens on one event loop. */
  record Http2Server(String name, HttpServer server) {
  }

  @Override
  public Future<?> start() {
    var config = context.config();
    Router router = Router.router(vertx);
    HttpErrors.install(router, config.maxBodyBytes());
    InstanceHeaders instanceHeaders = new InstanceHeaders(context.instance());
    // With Vert.x's own HTTP metrics every request takes the router: they learn a request's route from it.
    DirectPosts direct = config.httpMetrics() == CoreConfig.HttpMetricsMode.VERTX && parts.metrics() != null ? null
        : new DirectPosts(parts.shedder(), parts.httpMetrics(), instanceHeaders::addTo, config.maxBodyBytes());
    Endpoints endpoints = new Endpoints(router, parts.shedder(), config.maxBodyBytes(), parts.pendingBodies(), direct);
    var everyRequest = router.route();
    if (parts.httpMetrics() != null) {
      everyRequest.handler(parts.httpMetrics());
    }
    everyRequest.handler(instanceHeaders).handler(HeadResponses.INSTANCE);
    // The service's endpoints first: routes are tried in order, and they take the traffic.
    service.endpoints(context, endpoints);
    HealthEndpoints health = parts.health();
    endpoints.path(HealthEndpoints.LIVE_PATH, r -> r.getUnlimited(health::live))
        .path(HealthEndpoints.READY_PATH, r -> r.getUnlimited(health::ready));
    endpoints.path(OpenApi.PATH, r -> r.get(OpenApi.handler(parts.openApi())));
    if (parts.metrics() != null) {
      endpoints.path("/metrics", r -> r.getUnlimited(parts.metrics().scrapeHandler(vertx)));
    }

    HttpServerOptions options = listenerOptions(port)
        // HTTP/1.1 only, like the services this replaces: no h2c upgrade check on every request.
        .setHttp2ClearTextEnabled(false);
    HttpServer server = vertx.createHttpServer(options)
        .requestHandler(StrictRequests.checkedBefore(direct == null ? router : direct.before(router)))
        .invalidRequestHandler(StrictRequests::invalid);
    parts.connections().install(vertx, server, options);
    parts.loops().watchCurrentLoop(vertx);
    Future<?> all = server.listen().onSuccess(listening -> {
      servers.add(listening);
      routers.add(router);
    });
    for (int i = 0; i < listeners.size(); i++) {
      Http2Listener listener = listeners.get(i);
      // Vert.x gives the servers of one negative port one free port, shared: the HTTP listener has -1.
      int port = listener.port() == 0 ? -2 - i : listener.port();
      all = all.compose(ignored -> listen(listener, port));
    }
    return all;
  }

  /**
   * What every listener of the service shares: its host, idle timeout, no Nagle, no compression. No
   * service speaks WebSocket, and with its compression extensions on (Vert.x's default) every
   * connection's pipeline carries a handler that looks at every request for an upgrade.
   * The idle timeout counts from the client's last bytes (Netty's reader-idle): with Vert.x's
   * all-idle timeout, every write carries a listener for its completion time (a promise and a listener
   * array per response frame, 6 % of a gRPC call's CPU in a profile), and our answers only ever follow
   * what a client sent.
   */
  private HttpServerOptions listenerOptions(int port) {
    var config = context.config();
    return new HttpServerOptions()
        .setHost(config.host())
        .setPort(port)
        .setReadIdleTimeout(config.idleTimeoutSeconds())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  /** HTTP/2 over cleartext with prior knowledge only; the same host, idle timeout and connection limit. */
  private Future<HttpServer> listen(Http2Listener listener, int port) {
    HttpServerOptions options = listenerOptions(port)
        .setHttp2ClearTextEnabled(true)
        .setInitialSettings(new Http2Settings()
            .setMaxConcurrentStreams(listener.maxConcurrentStreams())
            .setMaxHeaderListSize(HttpServerOptions.DEFAULT_MAX_HEADER_SIZE));
    HttpServer server = vertx.createHttpServer(options).requestHandler(listener.handlerPerLoop()
        .apply(new Http2Listener.Shared(parts.shedder(), parts.pendingBodies())));
    parts.connections().installHttp2(vertx, server);
    return server.listen().onSuccess(listening -> http2Servers.add(new Http2Server(listener.name(), listening)));
  }
}
