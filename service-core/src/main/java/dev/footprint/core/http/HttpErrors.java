package dev.footprint.core.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one error model of every service: {@code {"error": "<message>"}} with the status that fits.
 * Handlers throw {@link HttpException} (stackless) with the message as payload, or call {@link #send};
 * the router's error handlers turn everything else into JSON, never an HTML page or a stack trace.
 */
public final class HttpErrors {
  private static final Logger LOG = Logger.getLogger(HttpErrors.class.getName());
  private static final CharSequence RETRY_ONE_SECOND = HttpHeaders.createOptimized("1");
  private static final int[] HANDLED = {400, 401, 403, 404, 405, 406, 408, 409, 411, 413, 414, 415, 422, 429, 500, 501, 503};

  private HttpErrors() {
  }

  public static HttpException badRequest(String message) {
    return new HttpException(400, message);
  }

  public static HttpException notFound(String message) {
    return new HttpException(404, message);
  }

  public static HttpException error(int status, String message) {
    return new HttpException(status, message);
  }

  public static Buffer body(String message) {
    return new JsonObject().put("error", message).toBuffer();
  }

  /** Ends {@code response} with a JSON error, unless a response was already started. */
  public static void send(HttpServerResponse response, int status, String message) {
    if (response.headWritten() || response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
        .end(body(message));
  }

  public static void send(RoutingContext ctx, int status, String message) {
    send(ctx.response(), status, message);
  }

  /** 503 with {@code Retry-After}: the client may retry after that many seconds (overload, not ready yet). */
  public static void unavailable(RoutingContext ctx, int retryAfterSeconds, String message) {
    unavailable(ctx.response(), retryAfterSeconds, message);
  }

  public static void unavailable(HttpServerResponse response, int retryAfterSeconds, String message) {
    if (!response.headWritten()) {
      response.putHeader(HttpHeaders.RETRY_AFTER, retryAfterSeconds == 1 ? RETRY_ONE_SECOND : String.valueOf(retryAfterSeconds));
    }
    send(response, 503, message);
  }

  /**
   * Installs on {@code router}, before any route, a failure handler for every failure, and a JSON
   * error handler for every status a client or the server can cause without one (no route, 405).
   */
  public static void install(Router router, int maxBodyBytes) {
    router.route().failureHandler(ctx -> handle(ctx, maxBodyBytes));
    for (int status : HANDLED) {
      router.errorHandler(status, ctx -> handle(ctx, maxBodyBytes));
    }
  }

  private static void handle(RoutingContext ctx, int maxBodyBytes) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
    String message = null;
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
      message = http.getPayload();
    } else if (ctx.response().closed() || isConnectionClosed(failure)) {
      // The client hung up (mid-body, say): nobody to answer, nothing wrong with the service.
      LOG.fine(() -> "client closed the connection during " + ctx.request().method() + " " + ctx.request().path());
      return;
    } else if (failure != null && status >= 400 && status < 500) {
      // The router's or body reader's verdict on a client's request (bad percent-encoding, a bad body).
      message = "bad request: " + JsonBodies.abbreviate(String.valueOf(failure.getMessage()));
      int rejected = status;
      LOG.fine(() -> rejected + " for " + ctx.request().method() + " " + ctx.request().path() + ": " + failure);
    } else if (failure != null) {
      // Not a client's mistake: log the cause here, tell the client nothing about it.
      status = 500;
      LOG.log(Level.SEVERE, "unhandled failure on " + ctx.request().method() + " " + ctx.request().path(), failure);
    }
    if (message == null) {
      message = defaultMessage(ctx.request(), status, maxBodyBytes);
    }
    send(ctx, status, message);
  }

  private static boolean isConnectionClosed(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.vertx.core.http.HttpClosedException || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof io.netty.channel.unix.Errors.NativeIoException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Answers a handler's failure outside the router as the router's failure handler would: an
   * {@link HttpException} with its status and message, anything else a logged 500 that tells the
   * client nothing.
   */
  static void fail(HttpServerRequest request, Throwable failure, int maxBodyBytes) {
    if (failure instanceof HttpException http) {
      int status = http.getStatusCode();
      send(request.response(), status, http.getPayload() != null ? http.getPayload() : defaultMessage(request, status, maxBodyBytes));
      return;
    }
    LOG.log(Level.SEVERE, "unhandled failure on " + request.method() + " " + request.path(), failure);
    send(request.response(), 500, defaultMessage(request, 500, maxBodyBytes));
  }

  private static String defaultMessage(HttpServerRequest request, int status, int maxBodyBytes) {
    return switch (status) {
      case 404 -> "no route for " + request.method() + " " + request.path();
      case 405 -> "method " + request.method() + " not allowed on " + request.path();
      case 413 -> "request body too large: the limit is " + maxBodyBytes + " bytes (MAX_BODY_BYTES)";
      case 415 -> "unsupported content type \"" + request.getHeader(HttpHeaders.CONTENT_TYPE)
          + "\": send application/json";
      case 500 -> "internal server error";
      default -> HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
