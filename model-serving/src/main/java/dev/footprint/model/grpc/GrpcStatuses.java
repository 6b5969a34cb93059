package dev.footprint.model.grpc;

import io.vertx.grpc.common.GrpcStatus;

/** The gRPC status of an answer the REST APIs give as an HTTP status, as TensorFlow Serving maps them. */
final class GrpcStatuses {
  private GrpcStatuses() {
  }

  static GrpcStatus of(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> GrpcStatus.INVALID_ARGUMENT;
      case 404 -> GrpcStatus.NOT_FOUND;
      case 408, 504 -> GrpcStatus.DEADLINE_EXCEEDED;
      case 413 -> GrpcStatus.RESOURCE_EXHAUSTED;
      case 501 -> GrpcStatus.UNIMPLEMENTED;
      case 503 -> GrpcStatus.UNAVAILABLE;
      case 500 -> GrpcStatus.INTERNAL;
      default -> GrpcStatus.UNKNOWN;
    };
  }

  /** tensorflow.error.Code's number for a status code's name (OK, NOT_FOUND, ...): the same as gRPC's. */
  static int errorCode(String name) {
    try {
      return GrpcStatus.valueOf(name).code;
    } catch (IllegalArgumentException e) {
      return GrpcStatus.UNKNOWN.code;
    }
  }
}
