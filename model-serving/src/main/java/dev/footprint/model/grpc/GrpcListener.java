package dev.footprint.model.grpc;

import dev.footprint.core.Http2Listener;
import dev.footprint.core.ServiceContext;
import dev.footprint.model.ModelServingConfig;
import dev.footprint.model.api.InferenceSubmitter;
import dev.footprint.model.engine.InferenceExecutor;
import dev.footprint.model.engine.WakeAfterLoopTurn;
import dev.footprint.model.repository.ModelRepository;
import io.vertx.core.Vertx;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;

import java.util.List;

/**
 * model-serving's gRPC listener (GRPC_PORT, 8500 as TensorFlow Serving's): TensorFlow Serving's
 * PredictionService and ModelService, KServe V2's GRPCInferenceService and grpc.health.v1.Health
 * (SERVING while the service is ready, for Kubernetes' gRPC probes), on Vert.x's gRPC server, on
 * the same event loops and inference executor as the REST APIs.
 */
public final class GrpcListener {
  public static final String NAME = "grpc";

  private GrpcListener() {
  }

  public static Http2Listener create(ServiceContext context, GrpcConfig grpc, ModelServingConfig config, ModelRepository repository,
                                     InferenceExecutor executor) {
    GrpcMetrics metrics = new GrpcMetrics(context.meterRegistry());
    return new Http2Listener(NAME, grpc.port(), grpc.maxConcurrentStreams(), shared -> {
      Vertx vertx = context.vertx();
      var loop = Vertx.currentContext();
      InferenceSubmitter submitter = new InferenceSubmitter(executor, new WakeAfterLoopTurn(loop, executor),
          config.batching().timeoutNanos());
      GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions()
          // gRPC over HTTP/2 only: no gRPC-Web, no transcoding to JSON.
          .removeEnabledProtocol(GrpcProtocol.WEB)
          .removeEnabledProtocol(GrpcProtocol.WEB_TEXT)
          .removeEnabledProtocol(GrpcProtocol.TRANSCODING)
          .setMaxMessageSize(grpc.maxMessageBytes()));
      GrpcCalls calls = new GrpcCalls(server, vertx, shared.shedder(), shared.pendingBodies(), grpc.maxMessageBytes(),
          context.config().bodyTimeoutSeconds() * 1000L, metrics, new MessageArrivals(loop));
      new TfServingGrpc(repository, submitter, config.maxInstances(), config.maxValues()).serve(calls);
      new OpenInferenceGrpc(context, repository, submitter, config.maxInstances(), config.maxValues()).serve(calls);
      new GrpcHealth(context.readiness(), List.of(TfServingGrpc.PREDICTION_SERVICE, TfServingGrpc.MODEL_SERVICE,
          OpenInferenceGrpc.SERVICE, GrpcHealth.SERVICE)).serve(calls);
      return server;
    });
  }
}
