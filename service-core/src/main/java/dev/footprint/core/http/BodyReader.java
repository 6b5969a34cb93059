package dev.footprint.core.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Reads a request body into memory, up to the body limit, in a buffer sized for it. BodyHandler starts
 * every body in a 1 KiB buffer, or, told to preallocate, in one of the size the client declares, up to
 * 64 KiB reserved before a byte of it arrives. Bodies here are mostly tens of bytes, so a declared
 * length of at most 1 KiB gets an exact buffer (the 1 KiB buffers were a fifth of all the converter
 * allocated per request), and anything else, undeclared or larger, BodyHandler's default: no client
 * can make the server reserve more than 1 KiB a request by what it declares.
 */
final class BodyReader implements Handler<RoutingContext> {
  static final int EXACT_UP_TO = 1024;

  private final BodyHandler exact;
  private final BodyHandler growing;
  private final PendingBodies pending;
  private final int maxBodyBytes;

  BodyReader(int maxBodyBytes, PendingBodies pending) {
    this.pending = pending;
    this.maxBodyBytes = maxBodyBytes;
    // No file uploads: nothing is written to disk, so a read-only root filesystem is fine.
    this.exact = BodyHandler.create(false).setBodyLimit(maxBodyBytes).setPreallocateBodyBuffer(true);
    this.growing = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long declared = declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
    if (declared >= 0 && declared <= EXACT_UP_TO) {
      exact.handle(ctx);
      return;
    }
    if (declared > maxBodyBytes) {
      growing.handle(ctx);  // 413 at once, before a byte of it is read
      return;
    }
    long reserve = declared >= 0 ? declared : maxBodyBytes;
    if (!pending.tryReserve(reserve)) {
      HttpErrors.unavailable(ctx, 1, "overloaded: " + pending.limit() + " bytes of request bodies are already arriving (MAX_PENDING_BODY_BYTES)");
      return;
    }
    ctx.addEndHandler(ignored -> pending.release(reserve));
    growing.handle(ctx);
  }

  /** {@code contentLength} as a decimal number of at most 9 digits, or -1. */
  static long declaredLength(String contentLength) {
    if (contentLength == null || contentLength.isEmpty() || contentLength.length() > 9) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < contentLength.length(); i++) {
      char c = contentLength.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
