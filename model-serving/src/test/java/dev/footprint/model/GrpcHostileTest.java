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
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that send their gRPC message slowly, or never finish it, against the real server: each is
 * answered within REQUEST_BODY_TIMEOUT_SECONDS and its stream reset, the memory they may hold is
 * bounded by MAX_PENDING_BODY_BYTES, and calls whose messages come whole are served meanwhile.
 */
@ExtendWith(VertxExtension.class)
class GrpcHostileTest {
  private static final String PREDICT_PATH = "/tensorflow.serving.PredictionService/Predict";
  private static final int MAX_MESSAGE_BYTES = 65_536;
  private static final Pattern PENDING = Pattern.compile("(?m)^footprint_http_pending_body_bytes\\S* (\\S+)$");

  @TempDir
  static Path base;
  private static TestServer server;
  private static GrpcTestClient grpc;
  private static TestClient http;
  private static HttpClientAgent raw;

  @BeforeAll
  static void start(Vertx vertx) throws Exception {
    TestModels.formula(base, "model", 1);
    // Room for one message still arriving (64 KiB reserved), not two.
    server = TestServer.start(ModelServingApp.SPEC, Map.of("MODEL_BASE_PATH", base.toString(), "MODEL_NAME", "model",
        "MODEL_POLL_SECONDS", "0", "GRPC_MAX_MESSAGE_BYTES", String.valueOf(MAX_MESSAGE_BYTES),
        "MAX_PENDING_BODY_BYTES", "100000", "REQUEST_BODY_TIMEOUT_SECONDS", "2"));
    int port = server.running().port(GrpcListener.NAME);
    grpc = new GrpcTestClient(vertx, port);
    http = new TestClient(vertx, server.port());
    raw = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
        .setDefaultHost("127.0.0.1").setDefaultPort(port));
  }

  @AfterAll
  static void stop() {
    raw.close().await();
    grpc.close();
    http.close();
    server.close();
  }

  /** A Predict call whose message declares {@code declared} bytes and sends only its first ten. */
  private static HttpClientRequest unfinishedCall(int declared) throws Exception {
    HttpClientRequest request = raw.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(PREDICT_PATH))
        .await(10, TimeUnit.SECONDS);
    request.setChunked(true).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    Buffer prefix = Buffer.buffer().appendByte((byte) 0).appendInt(declared).appendBytes(new byte[10]);
    request.write(prefix);
    return request;
  }

  /** The call's status and message, from its trailers (or its headers, for a trailers-only answer). */
  private record Answer(int status, String message, Buffer body) {
  }

  private static Answer answer(HttpClientRequest request) throws Exception {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    request.response().compose(response -> response.body().map(body -> read(response, body)))
        .onComplete(result -> {
          if (result.succeeded()) {
            answer.complete(result.result());
          } else {
            answer.completeExceptionally(result.cause());
          }
        });
    return answer.get(20, TimeUnit.SECONDS);
  }

  private static Answer read(HttpClientResponse response, Buffer body) {
    String status = response.getTrailer("grpc-status") != null ? response.getTrailer("grpc-status") : response.getHeader("grpc-status");
    String message = response.getTrailer("grpc-message") != null ? response.getTrailer("grpc-message") : response.getHeader("grpc-message");
    return new Answer(Integer.parseInt(status), message == null ? "" : URLDecoder.decode(message, StandardCharsets.UTF_8), body);
  }

  private static long pendingBodyBytes() {
    Matcher matcher = PENDING.matcher(http.get("/metrics").bodyAsString());
    assertThat(matcher.find()).as("the pending body bytes gauge in /metrics").isTrue();
    return (long) Double.parseDouble(matcher.group(1));
  }

  private static void awaitPendingBodyBytes(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pendingBodyBytes() != expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pendingBodyBytes()).isEqualTo(expected);
  }

  private static PredictRequest predict(float fahrenheit) {
    return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName("model"))
        .putInputs("fahrenheit", TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
            .addFloatVal(fahrenheit).build())
        .build();
  }

  @Test
  void aMessageThatNeverCompletesIsAnsweredWithinTheBodyTimeoutAndItsMemoryGivenBack() throws Exception {
    HttpClientRequest slow = unfinishedCall(1_000);
    awaitPendingBodyBytes(MAX_MESSAGE_BYTES);

    Answer answer = answer(slow);

    assertThat(answer.status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED.code);
    assertThat(answer.message()).isEqualTo("the request message did not arrive within REQUEST_BODY_TIMEOUT_SECONDS (2 s)");
    awaitPendingBodyBytes(0);
  }

  @Test
  void whileSlowMessagesHoldTheBudgetAnotherIsRefusedAndWholeMessagesAreServed() throws Exception {
    HttpClientRequest first = unfinishedCall(1_000);
    awaitPendingBodyBytes(MAX_MESSAGE_BYTES);

    // A second message still arriving would pass MAX_PENDING_BODY_BYTES: refused at once.
    Answer second = answer(unfinishedCall(1_000));
    assertThat(second.status()).isEqualTo(GrpcStatus.UNAVAILABLE.code);
    assertThat(second.message()).isEqualTo("overloaded: 100000 bytes of request messages are already arriving (MAX_PENDING_BODY_BYTES)");

    // Messages that come whole with their call reserve nothing: many at once are all served.
    List<CompletableFuture<GrpcTestClient.Reply<PredictResponse>>> calls = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      float fahrenheit = 32 + 9 * i;
      calls.add(CompletableFuture.supplyAsync(() -> grpc.call("tensorflow.serving.PredictionService", "Predict",
          predict(fahrenheit), PredictResponse.parser())));
    }
    for (int i = 0; i < calls.size(); i++) {
      var reply = calls.get(i).get(30, TimeUnit.SECONDS);
      assertThat(reply.status()).as(reply.message()).isEqualTo(GrpcStatus.OK);
      assertThat(reply.body().getOutputsOrThrow("celsius").getFloatValList()).containsExactly(5f * i);
    }
    assertThat(pendingBodyBytes()).as("still held by the first slow call only").isEqualTo(MAX_MESSAGE_BYTES);

    assertThat(answer(first).status()).isEqualTo(GrpcStatus.DEADLINE_EXCEEDED.code);
    awaitPendingBodyBytes(0);
  }

  @Test
  void aMessageSentInPiecesWithinTheTimeoutIsServed() throws Exception {
    byte[] message = predict(212f).toByteArray();
    HttpClientRequest request = raw.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(PREDICT_PATH))
        .await(10, TimeUnit.SECONDS);
    request.setChunked(true).putHeader("content-type", "application/grpc").putHeader("te", "trailers");
    request.write(Buffer.buffer().appendByte((byte) 0).appendInt(message.length).appendBytes(message, 0, 5));
    awaitPendingBodyBytes(MAX_MESSAGE_BYTES);
    Thread.sleep(300);
    request.end(Buffer.buffer().appendBytes(message, 5, message.length - 5));

    Answer answer = answer(request);

    assertThat(answer.status()).as(answer.message()).isEqualTo(GrpcStatus.OK.code);
    Buffer body = answer.body();
    assertThat(body.getInt(1)).as("the answer's length prefix").isEqualTo(body.length() - 5);
    PredictResponse response = PredictResponse.parseFrom(body.getBytes(5, body.length()));
    assertThat(response.getOutputsOrThrow("celsius").getFloatValList()).containsExactly(100f);
    awaitPendingBodyBytes(0);
  }
}
