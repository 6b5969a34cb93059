package dev.footprint.core.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.util.logging.Logger;

/**
 * What a request must be before the router sees it, and the answer to one the decoder could not
 * read. Each is a 400 (414, 431 for a line or headers too long) in the JSON error model, with
 * {@code Connection: close}, and the connection closed: after a framing error nothing more on it can
 * be trusted. One line at FINE, never a stack trace: these are clients' mistakes.
 */
public final class StrictRequests {
  private static final Logger LOG = Logger.getLogger(StrictRequests.class.getName());

  private StrictRequests() {
  }

  /** Passes to {@code next} every request with a Host (HTTP/1.1) and a well-formed percent-encoding. */
  public static Handler<HttpServerRequest> checkedBefore(Handler<HttpServerRequest> next) {
    return request -> {
      String problem = problem(request);
      if (problem == null) {
        next.handle(request);
      } else {
        reject(request, 400, problem);
      }
    };
  }

  /** Answers a request whose head the decoder rejected (Vert.x closes the connection after it). */
  public static void invalid(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result.cause();
    int status = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431 : 400;
    String message = switch (status) {
      case 414 -> "request line too long";
      case 431 -> "request header fields too large";
      default -> "malformed request: " + (cause == null || cause.getMessage() == null ? "unreadable" : JsonBodies.abbreviate(cause.getMessage()));
    };
    LOG.fine(() -> "rejected a request from " + request.remoteAddress() + ": " + message);
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    HttpErrors.send(response, status, message);
  }

  static String problem(HttpServerRequest request) {
    // The header itself, not authority(): that parses it into a HostAndPort on every request.
    if (request.version() == HttpVersion.HTTP_1_1 && !request.headers().contains(HttpHeaders.HOST)) {
      return "missing Host header (RFC 9112, 3.2)";
    }
    String uri = request.uri();
    if (uri.indexOf('%') >= 0 && !wellFormedPercentEncoding(uri)) {
      return "malformed percent-encoding in the request target";
    }
    return null;
  }

  /** Every '%' is followed by two hexadecimal digits. */
  static boolean wellFormedPercentEncoding(String uri) {
    for (int i = uri.indexOf('%'); i >= 0; i = uri.indexOf('%', i + 3)) {
      if (i + 2 >= uri.length() || !isHexDigit(uri.charAt(i + 1)) || !isHexDigit(uri.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static void reject(HttpServerRequest request, int status, String message) {
    LOG.fine(() -> "rejected " + request.method() + " from " + request.remoteAddress() + ": " + message);
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
        .end(HttpErrors.body(message))
        .onComplete(ignored -> request.connection().close());
  }
}
