package dev.footprint.core.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory for request bodies being received, across the process (MAX_PENDING_BODY_BYTES). A body over
 * 1 KiB reserves its declared length, or MAX_BODY_BYTES when it declares none, for as long as its
 * request lasts: many connections sending large bodies slowly meet this bound, not the heap's.
 * Bodies up to 1 KiB reserve nothing: the connection limit bounds them. A gRPC call whose message is
 * not whole once its first bytes are read reserves the largest message it may send, until it is.
 */
public final class PendingBodies {
  private final long limit;
  private final AtomicLong reserved = new AtomicLong();

  public PendingBodies(long limit) {
    this.limit = limit;
  }

  /** Reserves {@code bytes} unless that would pass the limit; a reservation is given back with {@link #release}. */
  public boolean tryReserve(long bytes) {
    long now = reserved.addAndGet(bytes);
    if (now > limit && now != bytes) {  // one body alone may always be read
      reserved.addAndGet(-bytes);
      return false;
    }
    return true;
  }

  public void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  public long limit() {
    return limit;
  }

  public void bindTo(MeterRegistry registry) {
    Gauge.builder("footprint.http.pending.body.bytes", reserved, AtomicLong::get)
        .description("Bytes reserved for request bodies being received (MAX_PENDING_BODY_BYTES bounds them)")
        .baseUnit("bytes").register(registry);
  }
}
