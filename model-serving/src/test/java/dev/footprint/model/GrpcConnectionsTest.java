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
import io.vertx.core.http.GoAway;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gRPC port's connections under the service's limits: MAX_CONNECTIONS and MAX_CONNECTION_AGE_SECONDS. */
@ExtendWith(VertxExtension.class)
class GrpcConnectionsTest {
  @TempDir
  Path base;

  private static PredictRequest predict(float fahrenheit) {
    return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("model"))
        .putInputs("fahrenheit", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
            .addFloatVal(fahrenheit).build())
        .build();
  }

  private static void assertAnswered(GrpcTestClient client) {
    var reply = client.call("tensorflow.serving.PredictionService", "Predict", predict(212f), PredictResponse.parser());
    assertThat(reply.status()).as(reply.message()).isEqualTo(GrpcStatus.OK);
    assertThat(reply.body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f);
  }

  @Test
  void aConnectionOverTheLimitIsClosedAndTheOthersKeepServing(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "model",
        "MODEL_POLL_SECONDS", "0", "MAX_CONNECTIONS", "2"));
    int port = server.running().port(GrpcListener.NAME);
    GrpcTestClient first = new GrpcTestClient(vertx, port);
    GrpcTestClient second = new GrpcTestClient(vertx, port);
    GrpcTestClient third = new GrpcTestClient(vertx, port);
    assertAnswered(first);
    assertAnswered(second);

    assertThatThrownBy(() -> third.call("tensorflow.serving.PredictionService", "Predict", predict(212f), PredictResponse.parser()))
        .as("a third connection, over MAX_CONNECTIONS=2").isNotInstanceOf(AssertionError.class);
    assertAnswered(first);
    assertAnswered(second);

    first.close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        assertAnswered(third);
        break;
      } catch (RuntimeException stillClosed) {
        Thread.sleep(50);  // until the server has counted the first connection's close
      }
    }
    assertAnswered(third);
    second.close();
    third.close();
    server.close();
  }

  @Test
  void aConnectionPastItsMaxAgeGetsGoAwayAndTheClientReconnects(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    TestServer server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "model",
        "MODEL_POLL_SECONDS", "0", "MAX_CONNECTION_AGE_SECONDS", "1"));
    AtomicInteger connections = new AtomicInteger();
    List<GoAway> goAways = new CopyOnWriteArrayList<>();
    HttpClient http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false))
        .withConnectHandler(connection -> {
          connections.incrementAndGet();
          connection.goAwayHandler(goAways::add);
        })
        .build();
    GrpcTestClient client = new GrpcTestClient(GrpcClient.client(vertx, http), server.running().port(GrpcListener.NAME));
    assertAnswered(client);
    assertThat(connections).hasValue(1);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (goAways.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(goAways).as("GOAWAY after MAX_CONNECTION_AGE_SECONDS=1").hasSize(1);
    assertThat(goAways.get(0).getErrorCode()).as("NO_ERROR: a graceful close").isZero();
    assertAnswered(client);
    assertThat(connections).as("the next call on a new connection").hasValue(2);
    client.close();
    http.close().await();
    server.close();
  }
}
