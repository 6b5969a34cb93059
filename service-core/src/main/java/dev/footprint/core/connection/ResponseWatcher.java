package dev.footprint.core.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;

/** Sees the responses Vert.x writes, before they are encoded: which request is answered, and when. */
final class ResponseWatcher extends ChannelOutboundHandlerAdapter {
  private final GuardedConnection connection;
  private boolean informational;

  ResponseWatcher(GuardedConnection connection) {
    this.connection = connection;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof HttpResponse response) {
      informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (!informational && connection.unanswered == 0) {
        connection.partialAnswered = true;  // it answers the request still being received
      }
    }
    if (msg instanceof LastHttpContent && !informational) {
      responseComplete();
    }
    ctx.write(msg, promise);
  }

  private void responseComplete() {
    if (connection.unanswered > 0 && --connection.unanswered == 0 && !connection.closing) {
      connection.since = System.nanoTime();
      connection.loop.append(connection);
    }
  }
}
