package dev.footprint.price;

/** A reload refused before allocating what the heap cannot hold ({@link HeapHeadroom}). */
final class NotEnoughHeapException extends RuntimeException {
  NotEnoughHeapException(String message) {
    super(message, null, false, false);
  }
}
