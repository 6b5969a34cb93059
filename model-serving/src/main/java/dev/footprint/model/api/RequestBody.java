package dev.footprint.model.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * The request body as bytes, read by the core's body handler (MAX_BODY_BYTES, any Content-Type:
 * TensorFlow Serving ignores the header and its documented {@code curl -d} calls send a form type).
 */
final class RequestBody {
  private static final byte[] EMPTY = new byte[0];

  private RequestBody() {
  }

  static byte[] bytes(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    return body == null ? EMPTY : body.getBytes();
  }
}
