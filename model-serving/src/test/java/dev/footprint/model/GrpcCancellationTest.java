package dev.footprint.model;

import dev.footprint.core.testing.TestClient;
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
import io.vertx.grpc.client.GrpcClientRequest;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceName;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A call cancelled by its client while it waits in the inference queue is taken out: never run, its slot given back. */
@ExtendWith(VertxExtension.class)
class GrpcCancellationTest {
  private static final Pattern CANCELLED = Pattern.compile(
      "(?m)^footprint_model_requests_rejected_total\\{[^}]*reason=\"cancelled\"[^}]*} (\\S+)$");
  private static final Pattern BATCHED_REQUESTS = Pattern.compile("(?m)^footprint_model_batch_requests_sum\\S* (\\S+)$");

  @TempDir
  Path base;

  @Test
  void aQueuedCallCancelledByItsClientLeavesTheQueueAndFreesItsSlot(Vertx vertx) throws Exception {
    // One inference thread, no batching: a 3000x3000 matrix product (54 GFLOP) keeps it busy a while
    // (about 0.7 s here), and the cancel reaches the server within milliseconds.
    TestModels.slowIdentity(base, "slow", 1, 3000);
    TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "slow",
        "MODEL_POLL_SECONDS", "0", "INFERENCE_THREADS", "1", "BATCHING_ENABLED", "false"));
    int port = server.running().port(GrpcListener.NAME);
    GrpcTestClient grpc = new GrpcTestClient(vertx, port);
    TestClient http = new TestClient(vertx, server.port());
    GrpcClient canceller = GrpcClient.client(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    PredictRequest request = PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("slow"))
        .putInputs("x", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(2)))
            .addFloatVal(3f).addFloatVal(4f).build())
        .build();

    double ranBefore = metric(http, BATCHED_REQUESTS);
    CompletableFuture<GrpcTestClient.Reply<PredictResponse>> ahead = CompletableFuture.supplyAsync(() ->
        grpc.call("tensorflow.serving.PredictionService", "Predict", request, PredictResponse.parser()));
    awaitTrue(() -> server.running().inflightRequests() == 1, "the first call in progress");
    GrpcClientRequest<Buffer, Buffer> queued = canceller.request(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
        .await(10, TimeUnit.SECONDS);
    queued.serviceName(ServiceName.create("tensorflow.serving.PredictionService")).methodName("Predict");
    queued.end(Buffer.buffer(request.toByteArray()));
    awaitTrue(() -> server.running().inflightRequests() == 2, "the second call queued behind it");

    queued.cancel();

    // Counted only when the task is taken out of the queue, before an inference thread has it.
    awaitTrue(() -> metric(http, CANCELLED) == 1, "the cancelled call taken out of the queue");
    var reply = ahead.get(60, TimeUnit.SECONDS);
    assertThat(reply.status()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getOutputsOrThrow("y").getFloatValList()).containsExactly(3f, 4f);
    awaitTrue(() -> server.running().inflightRequests() == 0, "both slots free");
    assertThat(metric(http, BATCHED_REQUESTS) - ranBefore).as("requests that reached a session call").isEqualTo(1);

    canceller.close().await();
    grpc.close();
    http.close();
    server.close();
  }

  private static double metric(TestClient http, Pattern pattern) {
    Matcher matcher = pattern.matcher(http.get("/metrics").bodyAsString());
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
