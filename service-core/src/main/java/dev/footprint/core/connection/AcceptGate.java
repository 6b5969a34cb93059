package dev.footprint.core.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * On the listening socket, before Netty hands an accepted connection to its event loop: while too
 * many accepted connections wait for their loop, accepting pauses, and the kernel's backlog holds
 * the rest. Without it a flood of connections is accepted far faster than a loop can set them up and
 * turn them away (measured: 6,943 waiting, an OutOfMemoryError in a 24 MiB heap), each holding its
 * channel in memory meanwhile. Accepting resumes only after the loop has run its I/O once more: a
 * Netty loop runs queued work for up to a second between two rounds of I/O, so without that pause a
 * well-behaved client's request, already sent, would wait unread while a flood of newer connections
 * made it the oldest one, to be displaced.
 */
@ChannelHandler.Sharable
final class AcceptGate extends ChannelInboundHandlerAdapter {
  static final int PAUSE_AT = 128;
  static final int RESUME_AT = 32;
  private static final AttributeKey<Boolean> WAITING = AttributeKey.valueOf("footprint.acceptWaiting");

  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicBoolean resumeScheduled = new AtomicBoolean();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel accepted) {
      Channel listener = ctx.channel();
      accepted.attr(WAITING).set(Boolean.TRUE);
      accepted.closeFuture().addListener(closed -> settled(accepted, listener));
      if (waiting.incrementAndGet() >= PAUSE_AT) {
        listener.config().setAutoRead(false);
      }
      ctx.fireChannelRead(accepted);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** The accepted connection reached its event loop (or closed before): one fewer waiting. */
  void settled(Channel accepted, Channel listener) {
    if (accepted.attr(WAITING).getAndSet(null) != null && waiting.decrementAndGet() <= RESUME_AT
        && !listener.config().isAutoRead() && resumeScheduled.compareAndSet(false, true)) {
      // A scheduled task runs after the loop's next round of I/O, not among the work queued now.
      EventLoop loop = accepted.isRegistered() ? accepted.eventLoop() : listener.eventLoop();
      loop.schedule(() -> {
        resumeScheduled.set(false);
        if (listener.isOpen()) {
          listener.config().setAutoRead(true);
        }
      }, 0, TimeUnit.NANOSECONDS);
    }
  }

  /** Called for an accepted connection on its event loop. */
  void arrived(Channel accepted) {
    Channel listener = accepted.parent();
    if (listener != null) {
      settled(accepted, listener);
    }
  }
}
