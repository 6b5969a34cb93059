package dev.footprint.model.grpc;

import com.google.protobuf.Parser;
import dev.footprint.core.http.LoadShedder;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServer;

/** Where one event loop's gRPC methods are served, with what every call shares. */
record GrpcCalls(GrpcServer server, Vertx vertx, LoadShedder shedder, GrpcMetrics metrics) {

  <T> void serve(String service, String method, Parser<T> parser, UnaryCall.Body<T> body) {
    UnaryCall.serve(server, vertx, shedder, metrics, service, method, parser, body);
  }
}
