package dev.footprint.core.config;

/**
 * Defaults that keep what clients can make the server hold inside its heap: a quarter of the heap
 * for open connections and a quarter for request bodies being received, so that a flood of either
 * meets its limit long before an OutOfMemoryError. The rest is the service's.
 */
public final class MemoryBudget {
  /**
   * Heap an idle HTTP/1.1 connection holds: Netty's channel, pipeline and decoder, Vert.x's
   * connection, this core's guard. Measured on the converter (heap in use after a full GC with 2,000
   * idle connections against none, image flags, JDK 25): 15,063 KiB, 7.5 KiB each; rounded up.
   */
  public static final int HEAP_PER_CONNECTION = 8 * 1024;
  static final int MIN_CONNECTIONS = 64;

  private MemoryBudget() {
  }

  public static int defaultMaxConnections() {
    return defaultMaxConnections(Runtime.getRuntime().maxMemory());
  }

  static int defaultMaxConnections(long maxHeap) {
    return (int) Math.max(MIN_CONNECTIONS, Math.min(1_000_000, maxHeap / 4 / HEAP_PER_CONNECTION));
  }

  public static long defaultMaxPendingBodyBytes() {
    return Math.max(1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
  }
}
