package dev.footprint.core.http;

import dev.footprint.core.metrics.HttpServerMetrics;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashMap;
import java.util.Map;

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
    new Exchange(request, endpoint).receive();
  }

  /**
   * One request's body, gathered by the request's own chunk and end handlers rather than its body()
   * future: on this path the future's completion (FutureBase.emitResult, ContextBase.execute,
   * FutureImpl.completeInternal) was where C2 inlined the whole answer, three times over, in
   * compilations whose arenas peaked half as high again (NMT) and stayed resident in glibc's heap.
   */
  private final class Exchange implements Handler<Buffer> {
    private final HttpServerRequest request;
    private final Endpoint endpoint;
    private final long start;
    private Buffer body;

    Exchange(HttpServerRequest request, Endpoint endpoint) {
      this.request = request;
      this.endpoint = endpoint;
      this.start = endpoint.meters() != null ? System.nanoTime() : 0;
    }

    void receive() {
      // A client that hangs up mid-body, or whose body the connection guard cuts off, gets no end: nobody to answer.
      request.handler(this).endHandler(end -> answer(request, endpoint, body == null ? Buffer.buffer() : body, start));
    }

    @Override
    public void handle(Buffer chunk) {
      body = body == null ? chunk : Buffer.buffer(body.length() + chunk.length()).appendBuffer(body).appendBuffer(chunk);
    }
  }

  private void answer(HttpServerRequest request, Endpoint endpoint, Buffer body, long start) {
    HttpServerResponse response = request.response();
    responseHeaders.handle(response.headers());
    if (!shedder.tryAcquire()) {
      HttpErrors.unavailable(response, 1, shedder.overloaded());
    } else {
      try {
        String json = endpoint.post().answer(body);
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
