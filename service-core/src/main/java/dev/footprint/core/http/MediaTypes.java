package dev.footprint.core.http;

import io.vertx.core.http.HttpHeaders;

/** Content-Type values, encoded once: a response's headers then copy bytes, not encode a string. */
public final class MediaTypes {
  public static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private MediaTypes() {
  }
}
