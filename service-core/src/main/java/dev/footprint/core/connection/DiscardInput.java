package dev.footprint.core.connection;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/** First in the pipeline of a connection being closed: what the client still sends is read and dropped. */
@ChannelHandler.Sharable
final class DiscardInput extends ChannelInboundHandlerAdapter {
  static final DiscardInput INSTANCE = new DiscardInput();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }
}
