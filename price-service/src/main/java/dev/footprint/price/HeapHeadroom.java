package dev.footprint.price;

/**
 * Room in the heap for a reload's large arrays, checked before each is allocated. The images run with
 * {@code -XX:+ExitOnOutOfMemoryError} (an OutOfMemoryError on an event loop leaves a JVM half alive),
 * so a list too large for the heap is refused before its arrays exist, never caught after: the old
 * list keeps serving. An eighth of the heap stays free for serving while a list is read and built.
 */
final class HeapHeadroom {
  private HeapHeadroom() {
  }

  /** Returns if {@code bytes} more fit; else collects once (what is in use may be garbage) and throws if they still do not. */
  static void reserve(long bytes, String what) {
    if (fits(bytes)) {
      return;
    }
    System.gc();
    if (!fits(bytes)) {
      Runtime runtime = Runtime.getRuntime();
      throw new NotEnoughHeapException(what + " needs " + mebibytes(bytes) + " MiB: " + mebibytes(used(runtime))
          + " MiB of the heap's " + mebibytes(runtime.maxMemory()) + " MiB in use after a GC, an eighth kept free for serving");
    }
  }

  private static boolean fits(long bytes) {
    Runtime runtime = Runtime.getRuntime();
    long max = runtime.maxMemory();
    return used(runtime) + bytes <= max - max / 8;
  }

  private static long used(Runtime runtime) {
    return runtime.totalMemory() - runtime.freeMemory();
  }

  private static long mebibytes(long bytes) {
    return (bytes + (1 << 19)) >> 20;
  }
}
