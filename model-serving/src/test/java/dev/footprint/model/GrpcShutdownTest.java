package dev.footprint.model;

import dev.footprint.core.testing.TestServer;
import dev.footprint.model.grpc.GrpcListener;
import dev.footprint.model.grpc.wire.serving.ModelSpec;
import dev.footprint.model.grpc.wire.serving.PredictRequest;
import dev.footprint.model.grpc.wire.serving.PredictResponse;
import dev.footprint.model.grpc.wire.tensorflow.DataType;
import dev.footprint.model.grpc.wire.tensorflow.TensorProto;
import dev.footprint.model.grpc.wire.tensorflow.TensorShapeProto;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Shutdown drains gRPC calls: those in progress when it starts are answered, after GOAWAY, before the process stops. */
@ExtendWith(VertxExtension.class)
class GrpcShutdownTest {
  @TempDir
  Path base;

  @Test
  void callsInProgressAtShutdownAreAnswered(Vertx vertx) throws Exception {
    // Each call is a 1500x1500 matrix product on the one inference thread: four of them queue up.
    TestModels.slowIdentity(base, "slow", 1, 1500);
    TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "slow",
        "MODEL_POLL_SECONDS", "0", "INFERENCE_THREADS", "1", "BATCHING_ENABLED", "false", "SHUTDOWN_DELAY_SECONDS", "0",
        "SHUTDOWN_GRACE_SECONDS", "30"));
    GrpcTestClient grpc = new GrpcTestClient(vertx, server.running().port(GrpcListener.NAME));
    PredictRequest request = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("slow"))
        .putInputs("x", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2)))
            .addFloatVal(3f).addFloatVal(4f).build())
        .build();
    List<CompletableFuture<GrpcTestClient.Reply<PredictResponse>>> calls = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> grpc.call("tensorflow.serving.PredictionService", "Predict", request,
          PredictResponse.parser()), callers));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.running().inflightRequests() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(server.running().inflightRequests()).as("calls in progress when the shutdown starts").isEqualTo(4);

    server.running().shutdown().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    for (var call : calls) {
      var reply = call.get(30, TimeUnit.SECONDS);
      assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
      assertThat(reply.body().getOutputsOrThrow("y").getFloatValList()).containsExactly(3f, 4f);
    }
    callers.shutdown();
    grpc.close();
  }

  @Test
  void healthSaysNotServingDuringTheShutdownDelayWhileCallsAreStillServed(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "model",
        "MODEL_POLL_SECONDS", "0", "SHUTDOWN_DELAY_SECONDS", "3", "SHUTDOWN_GRACE_SECONDS", "20"));
    int port = server.running().port(GrpcListener.NAME);
    GrpcTestClient grpc = new GrpcTestClient(vertx, port);
    assertThat(health(grpc)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    GrpcClient watcher = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    List<HealthCheckResponse.ServingStatus> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<GrpcStatus> watchEnded = new CompletableFuture<>();
    watcher.request(SocketAddress.inetSocketAddress(port, "127.0.0.1")).onSuccess(call -> {
      call.serviceName(ServiceName.create("grpc.health.v1.Health")).methodName("Watch");
      call.end(Buffer.buffer(HealthCheckRequest.newBuilder().setService("").build().toByteArray()));
      call.response().onSuccess(response -> {
        response.handler(message -> {
          try {
            watched.add(HealthCheckResponse.parseFrom(message.getBytes()).getStatus());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            watchEnded.completeExceptionally(e);
          }
        });
        response.endHandler(ignored -> watchEnded.complete(response.status()));
        response.exceptionHandler(watchEnded::completeExceptionally);
      }).onFailure(watchEnded::completeExceptionally);
    }).onFailure(watchEnded::completeExceptionally);
    long watching = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (watched.isEmpty() && System.nanoTime() < watching) {
      Thread.sleep(10);
    }

    var shutdown = server.running().shutdown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (health(grpc) != HealthCheckResponse.ServingStatus.NOT_SERVING && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(health(grpc)).as("within the shutdown delay").isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
    assertThat(shutdown.isComplete()).as("the delay is not over").isFalse();
    var reply = grpc.call("tensorflow.serving.PredictionService", "Predict", PredictRequest.newBuilder()
        .setModelSpec(ModelSpec.newBuilder().setName("model"))
        .putInputs("fahrenheit", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
            .addFloatVal(212f).build())
        .build(), PredictResponse.parser());
    assertThat(reply.status()).as("a call during the delay").isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f);
    // The watch saw the change, and ended with the connection's GOAWAY once the delay was over.
    assertThat(watchEnded.get(30, TimeUnit.SECONDS)).isEqualTo(GrpcStatus.OK);
    assertThat(watched).containsExactly(HealthCheckResponse.ServingStatus.SERVING, HealthCheckResponse.ServingStatus.NOT_SERVING);
    shutdown.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    watcher.close().await();
    grpc.close();
  }

  private static HealthCheckResponse.ServingStatus health(GrpcTestClient grpc) {
    var reply = grpc.call("grpc.health.v1.Health", "Check", HealthCheckRequest.newBuilder().setService("").build(),
        HealthCheckResponse.parser());
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    return reply.body().getStatus();
  }
}
