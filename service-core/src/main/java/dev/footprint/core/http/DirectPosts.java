package dev.footprint.core.http;

import dev.footprint.core.metrics.HttpServerMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@link JsonPost} endpoints answered from the HTTP server's request handler, past the router. For
 * each request the router makes a RoutingContext and walks a chain of handlers (metrics, instance
 * headers, HEAD, route match, content type, body reader, load shedder): on one core that was a fifth
 * of the converter's user CPU per request (bench/profile.sh). Here the same steps are a few calls.
 *
 * <p>Only the plain case is taken, decided from the head: POST to the endpoint's exact path, a JSON
 * Content-Type or none, a Content-Length within {@link BodyReader#EXACT_UP_TO} and MAX_BODY_BYTES,
 * no Transfer-Encoding, no Expect. Every other request goes to the router, whose route for the same
 * endpoint runs the same JsonPost: the answers are the same either way, as are the metrics' labels,
 * the instance headers and the load shedding (the core's tests compare the two).
 */
public final class DirectPosts {
  private static final Logger LOG = Logger.getLogger(DirectPosts.class.getName());

  private final Map<String, Endpoint> byPath = new HashMap<>();
  private final LoadShedder shedder;
  private final HttpServerMetrics metrics;
  private final Handler<MultiMap> responseHeaders;
  private final int maxBodyBytes;
  private final int maxDirectBody;

  /** {@code metrics}: null for none; {@code responseHeaders}: what every response carries (the instance's). */
  public DirectPosts(LoadShedder shedder, HttpServerMetrics metrics, Handler<MultiMap> responseHeaders, int maxBodyBytes) {
    this.shedder = shedder;
    this.metrics = metrics;
    this.responseHeaders = responseHeaders;
    this.maxBodyBytes = maxBodyBytes;
    this.maxDirectBody = Math.min(BodyReader.EXACT_UP_TO, maxBodyBytes);
  }

  /** A path's JsonPost and its meters (null: no metrics). */
  private record Endpoint(String path, JsonPost post, HttpServerMetrics.RouteMeters meters) {
  }

  void add(String path, JsonPost post) {
    HttpServerMetrics.RouteMeters meters = metrics == null ? null : metrics.route(path, HttpMethod.POST);
    if (byPath.putIfAbsent(path, new Endpoint(path, post, meters)) != null) {
      throw new IllegalStateException("POST declared twice on " + path);
    }
  }

  /** The request handler: the endpoints here first, then {@code router} for everything else. */
  public Handler<HttpServerRequest> before(Handler<HttpServerRequest> router) {
    if (byPath.isEmpty()) {
      return router;
    }
    return request -> {
      Endpoint endpoint = request.method() == HttpMethod.POST ? byPath.get(request.path()) : null;
      if (endpoint != null && plain(request.headers())) {
        serve(request, endpoint);
      } else {
        router.handle(request);
      }
    };
  }

  private boolean plain(MultiMap headers) {
    if (headers.contains(HttpHeaders.TRANSFER_ENCODING) || headers.contains(HttpHeaders.EXPECT)) {
      return false;
    }
    long declared = BodyReader.declaredLength(headers.get(HttpHeaders.CONTENT_LENGTH));
    return declared >= 0 && declared <= maxDirectBody && JsonBodies.acceptsContentType(headers.get(HttpHeaders.CONTENT_TYPE));
  }

  private void serve(HttpServerRequest request, Endpoint endpoint) {
    long start = endpoint.meters() != null ? System.nanoTime() : 0;
    request.body().onComplete(body -> answer(request, endpoint, body, start));
  }

  private void answer(HttpServerRequest request, Endpoint endpoint, AsyncResult<Buffer> body, long start) {
    if (body.failed()) {
      // The client hung up mid-body, or the connection guard cut it off: nobody to answer.
      LOG.fine(() -> "no body for POST " + request.path() + ": " + body.cause());
      return;
    }
    HttpServerResponse response = request.response();
    responseHeaders.handle(response.headers());
    if (!shedder.tryAcquire()) {
      HttpErrors.unavailable(response, 1, shedder.overloaded());
    } else {
      try {
        String json = endpoint.post().answer(body.result());
        response.putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json);
      } catch (Throwable failure) {
        // As the router: a handler's failure is an answer (its 4xx, or a logged 500), never a hang.
        HttpErrors.fail(request, failure, maxBodyBytes);
      } finally {
        shedder.release();
      }
    }
    if (endpoint.meters() != null) {
      endpoint.meters().record(response.getStatusCode(), System.nanoTime() - start);
    }
  }
}
