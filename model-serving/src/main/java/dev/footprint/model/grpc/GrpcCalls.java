package dev.footprint.model.grpc;

import com.google.protobuf.Parser;
import dev.footprint.core.http.LoadShedder;
import dev.footprint.core.http.PendingBodies;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcServer;

/**
 * Where one event loop's gRPC methods are served, with what every call shares: the bound on calls in
 * progress, the memory for messages still arriving (each reserves {@code maxMessageBytes} while it is
 * not whole), the time a message has to arrive in full ({@code bodyTimeoutMillis}), and the calls of
 * this turn whose message is still to be looked for ({@code arrivals}).
 */
record GrpcCalls(GrpcServer server, Vertx vertx, LoadShedder shedder, PendingBodies pendingBodies, int maxMessageBytes,
                 long bodyTimeoutMillis, GrpcMetrics metrics, MessageArrivals arrivals) {

  <T> void serve(String service, String method, Parser<T> parser, UnaryCall.Body<T> body) {
    UnaryCall.serve(this, service, method, parser, body, true);
  }

  /** As {@link #serve}, without a slot among MAX_INFLIGHT_REQUESTS: health checks must answer under overload. */
  <T> void serveUnlimited(String service, String method, Parser<T> parser, UnaryCall.Body<T> body) {
    UnaryCall.serve(this, service, method, parser, body, false);
  }
}
