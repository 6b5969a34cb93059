package dev.footprint.core.connection;

import io.netty.channel.Channel;

/**
 * The connections of one event loop, touched only on that loop: the list of those without an
 * unanswered request, longest-waiting first (idle keep-alive connections, fresh ones, heads and
 * bodies still arriving), and a sweep that enforces the head and body deadlines and, while
 * draining, closes connections that stay idle.
 */
final class LoopConnections {
  private final ConnectionGuard guard;
  private GuardedConnection oldest;
  private GuardedConnection newest;

  LoopConnections(ConnectionGuard guard) {
    this.guard = guard;
  }

  GuardedConnection open(Channel channel, long now) {
    GuardedConnection connection = new GuardedConnection(channel, this, now, guard.headerTimeoutNanos, guard.ageOfNewConnection());
    append(connection);
    return connection;
  }

  /** The connection that has waited longest without an unanswered request, or null. */
  GuardedConnection longestWaiting() {
    GuardedConnection candidate = oldest;
    while (candidate != null && candidate.closing) {
      candidate = candidate.next;
    }
    return candidate;
  }

  void append(GuardedConnection connection) {
    if (connection.listed) {
      remove(connection);
    }
    connection.listed = true;
    connection.previous = newest;
    connection.next = null;
    if (newest != null) {
      newest.next = connection;
    } else {
      oldest = connection;
    }
    newest = connection;
  }

  void remove(GuardedConnection connection) {
    if (!connection.listed) {
      return;
    }
    connection.listed = false;
    if (connection.previous != null) {
      connection.previous.next = connection.next;
    } else {
      oldest = connection.next;
    }
    if (connection.next != null) {
      connection.next.previous = connection.previous;
    } else {
      newest = connection.previous;
    }
    connection.previous = null;
    connection.next = null;
  }

  /** Closes the connections past their deadlines; while draining, also those idle for the drain's idle time. */
  void sweep(long now) {
    boolean draining = guard.draining();
    GuardedConnection connection = oldest;
    while (connection != null) {
      GuardedConnection next = connection.next;
      if (!connection.closing) {
        if (connection.inbound != GuardedConnection.Inbound.NONE && now - connection.deadline >= 0) {
          guard.timedOut(connection);
        } else if (connection.inbound == GuardedConnection.Inbound.NONE && connection.fresh && now - connection.deadline >= 0) {
          guard.close(connection, CloseReason.HEADER_TIMEOUT, null);
        } else if (draining && connection.inbound == GuardedConnection.Inbound.NONE
            && guard.idleLongEnoughToDrain(connection.since, now)) {
          guard.close(connection, CloseReason.DRAIN, null);
        }
      }
      connection = next;
    }
  }
}
