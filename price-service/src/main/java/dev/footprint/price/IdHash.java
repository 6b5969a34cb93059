package dev.footprint.price;

/**
 * One hash for an id whether it is bytes in the catalog or a String from a request: ids are ASCII,
 * so byte and char agree. The finalizer (MurmurHash3's) spreads ids that differ only in their last
 * characters, such as P0000001 and P0000002, over the whole table.
 */
final class IdHash {
  private IdHash() {
  }

  static int of(String id) {
    int h = 0;
    for (int i = 0, n = id.length(); i < n; i++) {
      h = 31 * h + id.charAt(i);
    }
    return mix(h);
  }

  static int of(byte[] bytes, int start, int length) {
    int h = 0;
    for (int i = start, end = start + length; i < end; i++) {
      h = 31 * h + bytes[i];
    }
    return mix(h);
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** A power-of-two table at most half full with {@code entries} in it. */
  static int tableSize(int entries) {
    int size = 16;
    while (size < entries * 2L && size < (1 << 30)) {
      size <<= 1;
    }
    return size;
  }
}
