package dev.footprint.core.connection;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what a client can hold through its connections, for every server of the process:
 * <ul>
 *   <li>at most {@code MAX_CONNECTIONS} open: past it a new connection displaces the one that has
 *   waited longest without an unanswered request (idle keep-alive, a head or a body still arriving),
 *   or, when every connection has a request being answered, gets 503 and is closed;</li>
 *   <li>a request head must arrive within {@code REQUEST_HEADER_TIMEOUT_SECONDS} of its first byte
 *   (a new connection's first one, of the accept), a body within {@code REQUEST_BODY_TIMEOUT_SECONDS}
 *   of its head, in total: a client trickling a byte at a time cannot stretch either; past them 408;</li>
 *   <li>while draining for shutdown, every request is answered with {@code Connection: close} and
 *   connections idle for two seconds are closed, so a client that honours it loses nothing.</li>
 * </ul>
 * Each event loop keeps its own connections ({@link LoopConnections}); only the count is shared.
 * It works at Netty's level, under Vert.x (whose connection exposes its channel through an internal
 * class), because only there are a head's first byte and a body's last one visible.
 */
public final class ConnectionGuard {
  // Long enough that a pooled connection a client still uses is answered "Connection: close" rather
  // than closed under its next request (at half a second: 63 resets of 6,000 requests at 1,000/s).
  static final long DRAIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final long SWEEP_MILLIS = 250;
  private static final long LINGER_MILLIS = 2_000;

  final long headerTimeoutNanos;
  final long bodyTimeoutNanos;
  /** A keep-alive connection older than this is closed after its next answer, so that clients spread
   *  over pods the HPA added (kube-proxy balances connections, not requests). */
  private final long maxAgeNanos;
  private final int limit;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<CloseReason, AtomicLong> closed = new EnumMap<>(CloseReason.class);
  private volatile boolean draining;
  private volatile long drainStarted;
  private final AcceptGate gate = new AcceptGate();
  private final ByteBuf overLimit;
  private final ByteBuf displaced;
  private final ByteBuf headerTimeout;
  private final ByteBuf bodyTimeout;
  private final ByteBuf badFraming;

  public ConnectionGuard(int limit, int headerTimeoutSeconds, int bodyTimeoutSeconds, String appId) {
    this(limit, headerTimeoutSeconds, bodyTimeoutSeconds, 0, appId);
  }

  /** As above; past MAX_AGE_SECONDS (0: never) a connection's next answer says Connection: close. */
  public ConnectionGuard(int limit, int headerTimeoutSeconds, int bodyTimeoutSeconds, int maxAgeSeconds, String appId) {
    this.limit = limit;
    this.maxAgeNanos = maxAgeSeconds == 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(maxAgeSeconds);
    this.headerTimeoutNanos = TimeUnit.SECONDS.toNanos(headerTimeoutSeconds);
    this.bodyTimeoutNanos = TimeUnit.SECONDS.toNanos(bodyTimeoutSeconds);
    for (CloseReason reason : CloseReason.values()) {
      closed.put(reason, new AtomicLong());
    }
    overLimit = response(503, "Service Unavailable", appId, true,
        "too many connections: " + limit + " are open and each has a request in progress (MAX_CONNECTIONS)");
    displaced = response(503, "Service Unavailable", appId, true,
        "connection closed to make room: " + limit + " connections were open (MAX_CONNECTIONS) and this request was still arriving");
    headerTimeout = response(408, "Request Timeout", appId, false,
        "request head not received within " + headerTimeoutSeconds + " s (REQUEST_HEADER_TIMEOUT_SECONDS)");
    bodyTimeout = response(408, "Request Timeout", appId, false,
        "request body not received within " + bodyTimeoutSeconds + " s (REQUEST_BODY_TIMEOUT_SECONDS)");
    badFraming = response(400, "Bad Request", appId, false, "malformed chunked body");
  }

  /**
   * The transport for the Vert.x the guarded servers run on: Vert.x's own (epoll when
   * {@code preferNative} and available, else NIO), pausing accepts while a flood of accepted
   * connections waits for its event loops.
   */
  public io.vertx.core.transport.Transport transport(boolean preferNative) {
    return GuardedTransport.create(preferNative, gate);
  }

  /** Guards {@code server}, which serves on the event loop of the verticle calling this. */
  public void install(Vertx vertx, HttpServer server, HttpServerOptions options) {
    LoopConnections loop = new LoopConnections(this);
    server.connectionHandler(connection -> accept(loop, connection, options));
    vertx.setPeriodic(SWEEP_MILLIS, id -> loop.sweep(System.nanoTime()));
  }

  /**
   * Guards an HTTP/2 server (gRPC) on the calling verticle's event loop: its connections count against
   * the same limit, and one past it is closed at once (HTTP/2 has no answer without a stream, and its
   * clients retry a refused connection); past MAX_CONNECTION_AGE_SECONDS a connection gets GOAWAY, so
   * its client reconnects through the Service to a pod the HPA may have added. Heads and messages are
   * bounded by HTTP/2's settings and the server's message size, not here; the drain is the server's own
   * shutdown (GOAWAY, then close when the calls in progress end).
   */
  public void installHttp2(Vertx vertx, HttpServer server) {
    server.connectionHandler(connection -> {
      Channel channel = ((ConnectionBase) connection).channel();
      gate.arrived(channel);
      if (open.incrementAndGet() > limit) {
        open.decrementAndGet();
        closed.get(CloseReason.LIMIT).incrementAndGet();
        channel.close();
        return;
      }
      channel.closeFuture().addListener(f -> open.decrementAndGet());
      // An answer written outside a read (from another thread's hand-off) is flushed at once, and
      // Vert.x's gRPC server writes a unary answer in two steps (the message, then the trailers): two
      // writev calls per call, half its CPU (profiled). Consolidated, the flushes of one event-loop
      // turn go out in one.
      channel.pipeline().addFirst("flushConsolidation", new FlushConsolidationHandler(
          FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
      if (maxAgeNanos != Long.MAX_VALUE) {
        long timer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(ageOfNewConnection())), id -> {
          closed.get(CloseReason.MAX_AGE).incrementAndGet();
          connection.shutdown(TimeUnit.NANOSECONDS.toMillis(maxAgeNanos), TimeUnit.MILLISECONDS);
        });
        channel.closeFuture().addListener(f -> vertx.cancelTimer(timer));
      }
    });
  }

  /**
   * The age past which a connection opened now is closed (Long.MAX_VALUE: never): between 80 and 100 %
   * of MAX_CONNECTION_AGE_SECONDS, at random, as gRPC's servers jitter theirs. At exactly the same age,
   * the connections a client opened together (a pool filled as its load began) all reconnect in the
   * same moment, and a pod the HPA added got nothing until that moment, then half the traffic at once
   * (the autoscale drill: 22 s from Ready to the added pod's first answer).
   */
  long ageOfNewConnection() {
    return maxAgeNanos == Long.MAX_VALUE ? Long.MAX_VALUE
        : maxAgeNanos - ThreadLocalRandom.current().nextLong(maxAgeNanos / 5 + 1);
  }

  /** From now on every request is answered with {@code Connection: close}; idle connections close. */
  public void drain() {
    if (!draining) {
      drainStarted = System.nanoTime();
      draining = true;
    }
  }

  /** Idle connections the drain has closed so far: for the shutdown's account. */
  public long closedByDrain() {
    return closed.get(CloseReason.DRAIN).get();
  }

  boolean draining() {
    return draining;
  }

  /**
   * Whether a connection idle since {@code since} has been idle for the drain's idle time, counted
   * from the drain's start at the earliest. Closed at once, the connections a client had left idle
   * before the drain race the requests it sends on them as its busy ones close: clients take pooled
   * connections last in, first out, so it reaches them within a fraction of a second (the cluster's
   * rollout drill: 138 idle closed in the drain's first 160 ms, 20 POSTs reset; GETs are retried).
   */
  boolean idleLongEnoughToDrain(long since, long now) {
    long from = since - drainStarted > 0 ? since : drainStarted;
    return now - from >= DRAIN_IDLE_NANOS;
  }

  public int openConnections() {
    return open.get();
  }

  public int limit() {
    return limit;
  }

  public void bindTo(MeterRegistry registry) {
    Gauge.builder("footprint.http.connections", open, AtomicInteger::get)
        .description("Open HTTP connections").register(registry);
    Gauge.builder("footprint.http.connections.limit", this, ConnectionGuard::limit)
        .description("Most open HTTP connections (MAX_CONNECTIONS)").register(registry);
    for (CloseReason reason : CloseReason.values()) {
      FunctionCounter.builder("footprint.http.connections.closed", closed.get(reason), AtomicLong::get)
          .description("HTTP connections closed by the server's limits, by reason")
          .tag("reason", reason.label).register(registry);
    }
  }

  private void accept(LoopConnections loop, HttpConnection connection, HttpServerOptions options) {
    Channel channel = ((ConnectionBase) connection).channel();
    gate.arrived(channel);
    long now = System.nanoTime();
    if (open.incrementAndGet() > limit) {
      GuardedConnection victim = loop.longestWaiting();
      if (victim == null) {
        closed.get(CloseReason.LIMIT).incrementAndGet();
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        writeAndLinger(channel, overLimit);
        return;
      }
      close(victim, CloseReason.DISPLACED, victim.inbound != GuardedConnection.Inbound.NONE && victim.mayAnswerPartial() ? displaced : null);
    }
    GuardedConnection guarded = loop.open(channel, now);
    channel.closeFuture().addListener(f -> {
      open.decrementAndGet();
      guarded.closing = true;
      loop.remove(guarded);
    });
    var pipeline = channel.pipeline();
    pipeline.replace("httpDecoder", "httpDecoder", new GuardedRequestDecoder(options, this, guarded));
    pipeline.addAfter("httpEncoder", "responseWatcher", new ResponseWatcher(guarded));
  }

  /** A head or body past its deadline: 408 where nothing was answered yet, then closed. */
  void timedOut(GuardedConnection connection) {
    boolean head = connection.inbound == GuardedConnection.Inbound.HEAD;
    CloseReason reason = head ? CloseReason.HEADER_TIMEOUT : CloseReason.BODY_TIMEOUT;
    close(connection, reason, connection.mayAnswerPartial() ? (head ? headerTimeout : bodyTimeout) : null);
  }

  /** A chunked body whose framing is malformed: 400 where nothing was answered yet, then closed. */
  void badFraming(GuardedConnection connection) {
    close(connection, CloseReason.BAD_FRAMING, connection.mayAnswerPartial() ? badFraming : null);
  }

  void close(GuardedConnection connection, CloseReason reason, ByteBuf answer) {
    if (connection.closing) {
      return;
    }
    connection.closing = true;
    connection.loop.remove(connection);
    closed.get(reason).incrementAndGet();
    if (answer == null) {
      connection.channel.close();
    } else {
      writeAndLinger(connection.channel, answer);
    }
  }

  /**
   * Writes a prepared response under Vert.x (nothing of this request was answered through it), then
   * half-closes and reads until the client closes, for a while: closing at once with the client's
   * bytes unread would make the kernel send a reset, and the client could lose the answer.
   */
  private static void writeAndLinger(Channel channel, ByteBuf answer) {
    channel.pipeline().addFirst(DiscardInput.INSTANCE);
    channel.pipeline().firstContext().writeAndFlush(answer.duplicate()).addListener((ChannelFutureListener) written -> {
      if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
        channel.close();
        return;
      }
      duplex.shutdownOutput();
      channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    });
  }

  private static ByteBuf response(int status, String reason, String appId, boolean retry, String message) {
    byte[] body = new JsonObject().put("error", message).encode().getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
        + "content-type: application/json\r\n"
        + "content-length: " + body.length + "\r\n"
        + (retry ? "retry-after: 1\r\n" : "")
        + (appId != null ? "x-app-id: " + appId + "\r\n" : "")
        + "connection: close\r\n\r\n";
    ByteBuf buffer = Unpooled.buffer(head.length() + body.length);
    buffer.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1)).writeBytes(body);
    return Unpooled.unreleasableBuffer(buffer.asReadOnly());
  }
}
