package dev.footprint.core.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ShutdownEvent;

import java.util.List;

/**
 * Vert.x's request decoder, told by the guard what it decodes: a head's first byte, its end, a
 * body's end. It is also stricter than Netty's: a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is rejected (RFC 9112, 6.3: it may be an attempt at request smuggling),
 * where Netty drops the length and reads the body as chunked.
 */
final class GuardedRequestDecoder extends VertxHttpRequestDecoder {
  private final ConnectionGuard guard;
  private final GuardedConnection connection;
  private long readNanos;

  GuardedRequestDecoder(HttpServerOptions options, ConnectionGuard guard, GuardedConnection connection) {
    super(options);
    this.guard = guard;
    this.connection = connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf bytes && bytes.isReadable() && connection.inbound == GuardedConnection.Inbound.NONE) {
      readNanos = System.nanoTime();
      connection.inbound = GuardedConnection.Inbound.HEAD;
      if (connection.fresh) {
        connection.fresh = false;  // its first head keeps the deadline counted from the accept
      } else {
        connection.deadline = readNanos + guard.headerTimeoutNanos;
      }
    }
    super.channelRead(ctx, msg);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
    int before = out.size();
    super.decode(ctx, buffer, out);
    for (int i = before; i < out.size(); i++) {
      Object decoded = out.get(i);
      if (decoded instanceof HttpRequest request) {
        headReceived(request);
      }
      if (decoded instanceof HttpContent content) {
        if (content.decoderResult().isFailure()) {
          // A bad chunk: answered here, as Vert.x would only reset the connection.
          out.remove(i);
          ReferenceCountUtil.release(content);
          guard.badFraming(connection);
          return;
        }
        if (content instanceof LastHttpContent) {
          bodyReceived();
        }
      }
    }
  }

  private void headReceived(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return;  // Vert.x's invalid-request handler answers it and closes
    }
    connection.inbound = GuardedConnection.Inbound.BODY;
    long now = readNanos != 0 ? readNanos : System.nanoTime();
    connection.deadline = now + guard.bodyTimeoutNanos;
    connection.partialAnswered = false;
    if (guard.draining() || now - connection.opened >= connection.maxAge) {
      // Vert.x then answers with "Connection: close" and closes once the response is written.
      request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
  }

  private void bodyReceived() {
    connection.inbound = GuardedConnection.Inbound.NONE;
    readNanos = 0;
    if (connection.partialAnswered) {
      // Answered before its body ended (a 413, say): nothing more is owed on it.
      connection.partialAnswered = false;
      connection.since = System.nanoTime();
      connection.loop.append(connection);
    } else if (connection.unanswered++ == 0) {
      connection.loop.remove(connection);
    }
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("both Content-Length and Transfer-Encoding: send one");
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof ShutdownEvent) {
      // Vert.x would close every idle connection at once, racing a request a client is sending on it.
      // The guard closes them instead, once idle for a moment; the server's grace period still bounds it.
      guard.drain();
      return;
    }
    super.userEventTriggered(ctx, event);
  }
}
