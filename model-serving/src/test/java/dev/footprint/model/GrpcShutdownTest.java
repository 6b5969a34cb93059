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
import io.vertx.grpc.common.GrpcStatus;
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
}
