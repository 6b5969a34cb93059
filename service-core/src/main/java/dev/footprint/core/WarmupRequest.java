package dev.footprint.core;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/** One request of a service's warm-up: what its users send most ({@link HttpService#warmupRequests()}). */
public record WarmupRequest(HttpMethod method, String path, Buffer body) {

  public static WarmupRequest get(String path) {
    return new WarmupRequest(HttpMethod.GET, path, null);
  }

  public static WarmupRequest postJson(String path, String json) {
    return new WarmupRequest(HttpMethod.POST, path, Buffer.buffer(json));
  }
}
