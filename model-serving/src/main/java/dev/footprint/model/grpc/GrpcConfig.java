package dev.footprint.model.grpc;

import dev.footprint.core.config.Env;

/**
 * The gRPC listener's settings (module README, "gRPC").
 *
 * @param port                 GRPC_PORT: TensorFlow Serving's 8500 by default; 0 for any free port
 * @param maxMessageBytes      GRPC_MAX_MESSAGE_BYTES: the largest request message; more is RESOURCE_EXHAUSTED
 * @param maxConcurrentStreams GRPC_MAX_CONCURRENT_STREAMS: calls one connection may have in progress
 */
public record GrpcConfig(int port, int maxMessageBytes, int maxConcurrentStreams) {

  public static GrpcConfig from(Env env) {
    return new GrpcConfig(
        env.integer("GRPC_PORT", 8500, 0, 65_535),
        // As the HTTP listener's MAX_BODY_BYTES: a message is held whole until it has arrived.
        env.integer("GRPC_MAX_MESSAGE_BYTES", 256 * 1024, 64, 64 * 1024 * 1024),
        env.integer("GRPC_MAX_CONCURRENT_STREAMS", 32, 1, 10_000));
  }
}
