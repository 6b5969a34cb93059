package dev.footprint.model;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Vert.x's gRPC client, for tests: one unary call at a time, its status, message and answer. */
final class GrpcTestClient implements AutoCloseable {
  record Reply<T>(GrpcStatus status, String message, T body) {
  }

  private final GrpcClient client;
  private final SocketAddress address;

  GrpcTestClient(Vertx vertx, int port) {
    this(GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)), port);
  }

  /** Over {@code client}'s connections (one HTTP/2 connection a client, as gRPC clients keep). */
  GrpcTestClient(GrpcClient client, int port) {
    this.client = client;
    this.address = SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  <T> Reply<T> call(String service, String method, MessageLite request, Parser<T> parser) {
    return call(service, method, request.toByteArray(), parser, 0);
  }

  /** {@code timeoutMillis}: the call's grpc-timeout (0: none). */
  <T> Reply<T> call(String service, String method, byte[] request, Parser<T> parser, long timeoutMillis) {
    try {
      return send(service, method, request, parser, timeoutMillis);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(method + " got no answer within 30 s", e);
    }
  }

  private <T> Reply<T> send(String service, String method, byte[] request, Parser<T> parser, long timeoutMillis)
      throws java.util.concurrent.TimeoutException {
    List<Buffer> messages = new ArrayList<>();
    Reply<Buffer> raw = client.request(address).compose(call -> {
      call.serviceName(ServiceName.create(service)).methodName(method);
      if (timeoutMillis > 0) {
        call.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
      }
      call.end(Buffer.buffer(request));
      return call.response().compose(response -> {
        response.handler(messages::add);
        return response.end().transform(ended ->
            Future.succeededFuture(new Reply<Buffer>(response.status(), response.statusMessage(),
                messages.isEmpty() ? null : messages.get(0))));
      });
    }).await(30, TimeUnit.SECONDS);
    if (messages.size() > 1) {
      throw new AssertionError(method + " answered " + messages.size() + " messages to a unary call");
    }
    try {
      return new Reply<>(raw.status(), raw.message(), raw.body() == null ? null : parser.parseFrom(raw.body().getBytes()));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(method + " answered a message that does not parse", e);
    }
  }

  @Override
  public void close() {
    client.close().await();
  }
}
