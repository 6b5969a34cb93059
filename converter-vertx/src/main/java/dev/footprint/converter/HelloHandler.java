package dev.footprint.converter;

import dev.footprint.core.http.MediaTypes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;

/** {@code GET /}: {"message": "Hello", "timestamp": ISO-8601 UTC, "app_id": ...}, the baseline of every comparison. */
final class HelloHandler implements Handler<RoutingContext> {
  private final String tail;

  HelloHandler(String appId) {
    this.tail = "\",\"app_id\":\"" + appId + "\"}";
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON)
        .end("{\"message\":\"Hello\",\"timestamp\":\"" + Instant.now() + tail);
  }
}
