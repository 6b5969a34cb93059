package dev.footprint.core.connection;

import io.netty.channel.Channel;

/**
 * What the guard knows of one connection, kept on its event loop only: how far the request being
 * received has come, how many received requests still await their response, and since when it has
 * held no such request (its place in the loop's eviction order).
 */
final class GuardedConnection {
  /** Progress of the request being received. */
  enum Inbound { NONE, HEAD, BODY }

  final Channel channel;
  /** When it was accepted (System.nanoTime). */
  final long opened;
  final LoopConnections loop;
  /** Past this age (nanoseconds from opened) its next answer says Connection: close. */
  final long maxAge;
  Inbound inbound = Inbound.NONE;
  /** No byte received yet: its first request head is due by {@link #deadline}, counted from accept. */
  boolean fresh = true;
  /** When the head or body being received must be complete (System.nanoTime), while inbound is not NONE. */
  long deadline;
  /** Requests received in full whose response is not yet complete. */
  int unanswered;
  /** The request being received already has a response (a 413 before its body ended, say). */
  boolean partialAnswered;
  /** Since when it has had no unanswered request (System.nanoTime): the longest-waiting is displaced first. */
  long since;
  boolean closing;
  // Links in the loop's list of connections without an unanswered request, oldest first.
  GuardedConnection previous;
  GuardedConnection next;
  boolean listed;

  GuardedConnection(Channel channel, LoopConnections loop, long now, long headerTimeoutNanos, long maxAge) {
    this.channel = channel;
    this.loop = loop;
    this.maxAge = maxAge;
    this.opened = now;
    this.since = now;
    this.deadline = now + headerTimeoutNanos;
  }

  /** Whether nothing was sent on it for the request being received, so that an error response may be written raw. */
  boolean mayAnswerPartial() {
    return unanswered == 0 && !partialAnswered;
  }
}
