package dev.footprint.model.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import dev.footprint.core.http.LoadShedder;
import dev.footprint.model.ServingException;
import dev.footprint.model.api.InferenceSubmitter;
import dev.footprint.model.api.RequestTensors;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServerRequest;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One unary call, from its request message to its one answer: a slot among MAX_INFLIGHT_REQUESTS
 * while it runs (taken once the message is whole, so a slow sender holds none), its deadline
 * ({@code grpc-timeout}: DEADLINE_EXCEEDED when it passes), its cancellation by the client (what it
 * queued is taken back), and its metrics. A message not whole once the call's first bytes are read
 * reserves GRPC_MAX_MESSAGE_BYTES of MAX_PENDING_BODY_BYTES until it is, and must be whole within
 * REQUEST_BODY_TIMEOUT_SECONDS: a client sending slowly holds neither memory nor a stream for long.
 * Used on its event loop only.
 */
final class UnaryCall {
  private static final Logger LOG = Logger.getLogger(UnaryCall.class.getName());

  /** What a method does with its request: answer through the call, now or later, or throw. */
  @FunctionalInterface
  interface Body<T> {
    void handle(T request, UnaryCall call);
  }

  private final GrpcServerRequest<Buffer, Buffer> request;
  private final GrpcMetrics.Method method;
  private final GrpcCalls calls;
  private final LoadShedder shedder;
  private final boolean limited;
  private final Vertx vertx;
  private final long started = System.nanoTime();
  private boolean received;
  private boolean holdsSlot;
  private long reservedBytes;
  private boolean finished;
  private long deadlineTimer = -1;
  private long arrivalTimer = -1;
  private Runnable onCancel;

  private UnaryCall(GrpcServerRequest<Buffer, Buffer> request, GrpcMetrics.Method method, GrpcCalls calls, boolean limited) {
    this.request = request;
    this.method = method;
    this.calls = calls;
    this.shedder = calls.shedder();
    this.limited = limited;
    this.vertx = calls.vertx();
  }

  /**
   * Serves {@code service/name}: messages parsed here, so a malformed one is INVALID_ARGUMENT.
   * {@code limited}: whether a call takes a slot among MAX_INFLIGHT_REQUESTS (health checks do not).
   */
  static <T> void serve(GrpcCalls calls, String service, String name, Parser<T> parser, Body<T> body, boolean limited) {
    GrpcMetrics.Method method = calls.metrics().method(service, name);
    calls.server().callHandler(ServiceMethod.server(ServiceName.create(service), name, GrpcMessageEncoder.IDENTITY,
        GrpcMessageDecoder.IDENTITY), request -> {
      UnaryCall call = new UnaryCall(request, method, calls, limited);
      call.begin(parser, body);
    });
  }

  private <T> void begin(Parser<T> parser, Body<T> body) {
    // The call's head has just been read; the message, if it came with it, is read in the same turn.
    calls.arrivals().add(this);
    long timeoutMillis = request.timeout();
    if (timeoutMillis > 0) {
      deadlineTimer = vertx.setTimer(timeoutMillis, id -> {
        deadlineTimer = -1;
        if (finished) {
          return;
        }
        runOnCancel();
        if (received) {
          fail(GrpcStatus.DEADLINE_EXCEEDED, "Deadline Exceeded");
        } else {
          refuse(GrpcStatus.DEADLINE_EXCEEDED, "Deadline Exceeded");
        }
      });
    }
    // A reset stream (the client cancelled, or went away): nothing more can be answered.
    request.errorHandler(error -> cancelled());
    request.exceptionHandler(error -> cancelled());
    request.endHandler(ignored -> {
      if (!received && !finished) {
        fail(GrpcStatus.INVALID_ARGUMENT, "the call ended without a request message");
      }
    });
    request.handler(message -> {
      if (finished) {
        return;
      }
      if (received) {
        fail(GrpcStatus.INVALID_ARGUMENT, method.fullName() + " is unary: a second request message on the call");
        return;
      }
      received = true;
      releaseReservation();
      if (limited) {
        if (!shedder.tryAcquire()) {
          fail(GrpcStatus.UNAVAILABLE, shedder.overloaded());
          return;
        }
        holdsSlot = true;
      }
      T parsed;
      try {
        ByteBuf bytes = ((BufferInternal) message).getByteBuf();
        parsed = parser.parseFrom(bytes.nioBuffer());
      } catch (InvalidProtocolBufferException e) {
        fail(GrpcStatus.INVALID_ARGUMENT, "the request is not a valid message for " + method.fullName() + ": " + e.getMessage());
        return;
      }
      try {
        body.handle(parsed, this);
      } catch (ServingException e) {
        fail(e);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, method.fullName() + " failed", e);
        fail(GrpcStatus.INTERNAL, "internal error: " + e);
      }
    });
  }

  /** Once the turn that read the call's head is over: a message still to come may take memory and time, both bounded. */
  void awaitMessage() {
    if (received || finished) {
      return;
    }
    if (!calls.pendingBodies().tryReserve(calls.maxMessageBytes())) {
      refuse(GrpcStatus.UNAVAILABLE, "overloaded: " + calls.pendingBodies().limit()
          + " bytes of request messages are already arriving (MAX_PENDING_BODY_BYTES)");
      return;
    }
    reservedBytes = calls.maxMessageBytes();
    arrivalTimer = vertx.setTimer(calls.bodyTimeoutMillis(), id -> {
      arrivalTimer = -1;
      if (!received && !finished) {
        refuse(GrpcStatus.DEADLINE_EXCEEDED, "the request message did not arrive within REQUEST_BODY_TIMEOUT_SECONDS ("
            + calls.bodyTimeoutMillis() / 1000 + " s)");
      }
    });
  }

  /** Answers {@code status}, then resets the stream: the rest of a message still arriving is not read. */
  private void refuse(GrpcStatus status, String message) {
    fail(status, message);
    request.response().cancel();
  }

  private void releaseReservation() {
    if (reservedBytes > 0) {
      calls.pendingBodies().release(reservedBytes);
      reservedBytes = 0;
    }
    if (arrivalTimer >= 0) {
      vertx.cancelTimer(arrivalTimer);
      arrivalTimer = -1;
    }
  }

  /**
   * Queues this call's inference; {@code answer} makes the reply from the task once it has run. The
   * version's reference goes with the task, which is taken out of the queue if the call is cancelled
   * or times out first. A full queue is thrown, the caller still holding the version.
   */
  void infer(InferenceSubmitter submitter, ServableVersion version, ServingSignature signature, RequestTensors tensors,
             Function<InferenceTask, MessageLite> answer) {
    InferenceTask task = submitter.submit(version, signature, tensors, done -> {
      if (finished) {
        return;
      }
      if (done.failed()) {
        fail(new ServingException(done.failureStatus(), done.failureMessage()));
      } else {
        reply(answer.apply(done));
      }
    }, timeoutNanos());
    if (task == null) {
      throw submitter.queueFull();
    }
    whenCancelled(() -> submitter.cancel(task));
  }

  /** The call's deadline in nanoseconds from now (Long.MAX_VALUE without one): what the queue may wait. */
  long timeoutNanos() {
    long millis = request.timeout();
    if (millis <= 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis) - (System.nanoTime() - started));
  }

  /** Runs if the call is cancelled or times out before it is answered (to take back what it queued). */
  private void whenCancelled(Runnable action) {
    onCancel = action;
  }

  void reply(MessageLite response) {
    if (finish(GrpcStatus.OK)) {
      try {
        request.response().end(Buffer.buffer(response.toByteArray()));
      } catch (IllegalStateException streamClosed) {
        // The client reset the stream as the answer was ready; its reset is on its way to errorHandler.
      }
    }
  }

  void fail(ServingException e) {
    if (e.status() == 503 && request.timeout() > 0 && timeoutNanos() == 0) {
      // Turned away for waiting past the call's own deadline (the queue's wait is capped at it).
      fail(GrpcStatus.DEADLINE_EXCEEDED, "Deadline Exceeded");
      return;
    }
    fail(GrpcStatuses.of(e.status()), e.getMessage());
  }

  void fail(GrpcStatus status, String message) {
    if (finish(status)) {
      try {
        request.response().status(status).statusMessage(message).end();
      } catch (IllegalStateException streamClosed) {
        // As in reply: the client is gone (its own deadline passed at the same moment, say).
      }
    }
  }

  private void cancelled() {
    if (!finished) {
      runOnCancel();
      finish(GrpcStatus.CANCELLED);
    }
  }

  private void runOnCancel() {
    Runnable action = onCancel;
    onCancel = null;
    if (action != null) {
      action.run();
    }
  }

  private boolean finish(GrpcStatus status) {
    if (finished) {
      return false;
    }
    finished = true;
    onCancel = null;
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    if (holdsSlot) {
      holdsSlot = false;
      shedder.release();
    }
    releaseReservation();
    method.record(status, System.nanoTime() - started);
    return true;
  }
}
