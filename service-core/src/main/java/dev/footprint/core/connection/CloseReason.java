package dev.footprint.core.connection;

/** Why the guard closed a connection: the {@code reason} label of {@code footprint_http_connections_closed_total}. */
enum CloseReason {
  /** Over MAX_CONNECTIONS with no connection to displace: answered 503. */
  LIMIT("limit"),
  /** Displaced by a new connection at MAX_CONNECTIONS: it had waited longest without an unanswered request. */
  DISPLACED("displaced"),
  /** Its request head did not arrive within REQUEST_HEADER_TIMEOUT_SECONDS (408 if a byte of it had). */
  HEADER_TIMEOUT("header_timeout"),
  /** Its request body did not arrive within REQUEST_BODY_TIMEOUT_SECONDS: answered 408. */
  BODY_TIMEOUT("body_timeout"),
  /** A malformed body framing (a bad chunk): answered 400. */
  BAD_FRAMING("bad_framing"),
  /** An HTTP/2 connection past MAX_CONNECTION_AGE_SECONDS: sent GOAWAY, closed when its calls end. */
  MAX_AGE("max_age"),
  /** Idle while the service drains for shutdown. */
  DRAIN("drain");

  final String label;

  CloseReason(String label) {
    this.label = label;
  }
}
