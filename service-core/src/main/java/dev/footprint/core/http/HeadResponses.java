package dev.footprint.core.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/**
 * A response to HEAD carries the Content-Length its GET would have (RFC 9110, 9.3.2 and 8.6).
 * Vert.x drops the body of a response to HEAD but, for that reason, does not set its length: here it
 * is set, just before the head is written, to the size of the body the handler ended it with. Any
 * other request passes with one comparison.
 */
public final class HeadResponses implements PlatformHandler {
  public static final HeadResponses INSTANCE = new HeadResponses();

  private HeadResponses() {
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      HttpServerResponse response = ctx.response();
      ctx.addHeadersEndHandler(v -> {
        if (!response.isChunked() && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
          response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(response.bytesWritten()));
        }
      });
    }
    ctx.next();
  }
}
