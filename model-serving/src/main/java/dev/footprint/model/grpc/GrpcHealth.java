package dev.footprint.model.grpc;

import dev.footprint.core.health.Readiness;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vertx.grpc.health.v1.HealthListRequest;
import io.vertx.grpc.health.v1.HealthListResponse;
import io.vertx.grpc.server.GrpcServerRequest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * grpc.health.v1.Health, for Kubernetes' {@code grpc:} probes and clients' health checking: the
 * server ({@code ""}) and each service it serves are SERVING while the service is ready (the same
 * readiness as {@code /health/ready}), NOT_SERVING otherwise, shutdown included; any other name is
 * NOT_FOUND (Check) or SERVICE_UNKNOWN (Watch), as the protocol says. Check and List answer under
 * overload (no slot among MAX_INFLIGHT_REQUESTS). Watch sends the status, then each change (polled
 * every second), and ends when its connection shuts down (GOAWAY), so a watcher does not hold a
 * shutdown for its whole grace. vertx-grpc-health's own service answers SERVING for {@code ""}
 * whatever is registered for it (5.0.7), so it is not used. One per event loop.
 */
final class GrpcHealth {
  static final String SERVICE = "grpc.health.v1.Health";
  private static final long WATCH_POLL_MILLIS = 1_000;

  private final Readiness readiness;
  private final List<String> services;
  private final Map<HttpConnection, Set<Runnable>> watchesByConnection = new HashMap<>();

  GrpcHealth(Readiness readiness, List<String> services) {
    this.readiness = readiness;
    this.services = services;
  }

  void serve(GrpcCalls calls) {
    calls.serveUnlimited(SERVICE, "Check", HealthCheckRequest.parser(), (request, call) -> {
      ServingStatus status = status(request.getService());
      if (status == ServingStatus.SERVICE_UNKNOWN) {
        call.fail(GrpcStatus.NOT_FOUND, "unknown service");
      } else {
        call.reply(HealthCheckResponse.newBuilder().setStatus(status).build());
      }
    });
    calls.serveUnlimited(SERVICE, "List", HealthListRequest.parser(), (request, call) -> {
      HealthListResponse.Builder list = HealthListResponse.newBuilder();
      list.putStatuses("", HealthCheckResponse.newBuilder().setStatus(status("")).build());
      services.forEach(name -> list.putStatuses(name, HealthCheckResponse.newBuilder().setStatus(status(name)).build()));
      call.reply(list.build());
    });
    GrpcMetrics.Method watchMetrics = calls.metrics().method(SERVICE, "Watch");
    calls.server().callHandler(ServiceMethod.server(ServiceName.create(SERVICE), "Watch", GrpcMessageEncoder.IDENTITY,
        GrpcMessageDecoder.IDENTITY), request -> watch(calls, watchMetrics, request));
  }

  private ServingStatus status(String service) {
    if (!service.isEmpty() && !services.contains(service)) {
      return ServingStatus.SERVICE_UNKNOWN;
    }
    return readiness.isReady() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  private void watch(GrpcCalls calls, GrpcMetrics.Method metrics, GrpcServerRequest<Buffer, Buffer> request) {
    long started = System.nanoTime();
    request.handler(message -> {
      String service;
      try {
        service = HealthCheckRequest.parseFrom(message.getBytes()).getService();
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        request.response().status(GrpcStatus.INVALID_ARGUMENT).statusMessage("the request is not a HealthCheckRequest").end();
        metrics.record(GrpcStatus.INVALID_ARGUMENT, System.nanoTime() - started);
        return;
      }
      ServingStatus[] sent = {status(service)};
      send(request, sent[0]);
      long timer = calls.vertx().setPeriodic(WATCH_POLL_MILLIS, id -> {
        ServingStatus now = status(service);
        if (now != sent[0]) {
          sent[0] = now;
          send(request, now);
        }
      });
      HttpConnection connection = request.connection();
      Runnable[] end = new Runnable[1];
      end[0] = () -> {
        if (calls.vertx().cancelTimer(timer)) {
          Set<Runnable> watches = watchesByConnection.get(connection);
          if (watches != null) {
            watches.remove(end[0]);
          }
          metrics.record(GrpcStatus.OK, System.nanoTime() - started);
          try {
            request.response().end();
          } catch (IllegalStateException streamClosed) {
            // The client went first.
          }
        }
      };
      watchesOf(connection).add(end[0]);
      request.errorHandler(error -> end[0].run());
      request.exceptionHandler(error -> end[0].run());
    });
  }

  private static void send(GrpcServerRequest<Buffer, Buffer> request, ServingStatus status) {
    request.response().write(Buffer.buffer(HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray()));
  }

  /** The connection's watches, ended together when it shuts down. */
  private Set<Runnable> watchesOf(HttpConnection connection) {
    return watchesByConnection.computeIfAbsent(connection, key -> {
      key.shutdownHandler(ignored -> endWatches(key));
      key.closeHandler(ignored -> endWatches(key));
      return new HashSet<>();
    });
  }

  private void endWatches(HttpConnection connection) {
    Set<Runnable> watches = watchesByConnection.remove(connection);
    if (watches != null) {
      List.copyOf(watches).forEach(Runnable::run);
    }
  }
}
