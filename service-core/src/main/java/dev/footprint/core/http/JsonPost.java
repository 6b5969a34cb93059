package dev.footprint.core.http;

import io.vertx.core.buffer.Buffer;

/**
 * A POST endpoint whose answer is a function of its JSON body alone: 200 with the JSON text it
 * returns, or the {@link io.vertx.ext.web.handler.HttpException} it throws ({@link HttpErrors}).
 * It runs on the event loop, at once: for cheap work only. Declared with
 * {@link Endpoints.Resource#postJson}, it is served past the router when the request allows
 * ({@link DirectPosts}).
 */
@FunctionalInterface
public interface JsonPost {
  /** {@code body}: the request's bytes, possibly empty, never null. */
  String answer(Buffer body);
}
