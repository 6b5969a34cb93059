package dev.footprint.core;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

/** Tags every response with who answered: {@code X-App-Id}, and {@code X-Pod-Name} inside Kubernetes. */
final class InstanceHeaders implements PlatformHandler {
  private static final CharSequence APP_ID = HttpHeaders.createOptimized("x-app-id");
  private static final CharSequence POD_NAME = HttpHeaders.createOptimized("x-pod-name");

  private final CharSequence appId;
  private final CharSequence podName;

  InstanceHeaders(InstanceId instance) {
    this.appId = HttpHeaders.createOptimized(instance.appId());
    this.podName = instance.podName() == null ? null : HttpHeaders.createOptimized(instance.podName());
  }

  @Override
  public void handle(RoutingContext ctx) {
    addTo(ctx.response().headers());
    ctx.next();
  }

  void addTo(MultiMap headers) {
    headers.add(APP_ID, appId);
    if (podName != null) {
      headers.add(POD_NAME, podName);
    }
  }
}
