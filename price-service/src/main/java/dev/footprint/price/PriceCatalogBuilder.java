package dev.footprint.price;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills a {@link PriceCatalog} record by record, finding duplicate ids as it goes. The arrays it fills
 * become the catalog's: nothing is copied unless the record block has much slack.
 */
final class PriceCatalogBuilder {
  /** A currency index must fit in one byte. */
  static final int MAX_CURRENCIES = 256;
  /** The record block is first sized for ids of this length, and grows if they are longer. */
  private static final int EXPECTED_ID_LENGTH = 9;

  private final int capacity;
  private byte[] records;
  private int used;
  private final List<String> currencies = new ArrayList<>();
  private int[] table;
  private int size;

  /** @param capacity the most entries that will be added */
  PriceCatalogBuilder(int capacity, String defaultCurrency) {
    this.capacity = capacity;
    int recordBytes = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(64L, (long) capacity * (EXPECTED_ID_LENGTH + PriceCatalog.RECORD_OVERHEAD)));
    int tableSize = IdHash.tableSize(capacity);
    HeapHeadroom.reserve(recordBytes + 4L * tableSize, "a catalog of " + capacity + " products");
    this.records = new byte[recordBytes];
    this.table = new int[tableSize];
    currencies.add(defaultCurrency);
  }

  int size() {
    return size;
  }

  /**
   * Adds an entry whose id is {@code source[idStart, idStart + idLength)} (allowed characters, at most
   * 127). Returns -1 when added, or the entry (record offset) that already has this id (nothing added).
   */
  int add(byte[] source, int idStart, int idLength, long unscaled, int scale, String currency) {
    if (size == capacity) {
      throw new IllegalStateException("catalog builder is full: " + capacity + " entries");
    }
    int mask = table.length - 1;
    int slot = IdHash.of(source, idStart, idLength) & mask;
    for (int reference; (reference = table[slot]) != 0; slot = (slot + 1) & mask) {
      if (idEquals(reference - 1, source, idStart, idLength)) {
        return reference - 1;
      }
    }
    table[slot] = append(source, idStart, idLength, unscaled, scale, currencyIndex(currency)) + 1;
    size++;
    return -1;
  }

  private int append(byte[] source, int idStart, int idLength, long unscaled, int scale, int currency) {
    int length = idLength + PriceCatalog.RECORD_OVERHEAD;
    if (used + length > records.length) {
      long grown = Math.max((long) records.length + (records.length >> 1), (long) used + length);
      if (grown > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("price list too large for one catalog block");
      }
      HeapHeadroom.reserve(grown, "the catalog's record block grown to " + grown + " bytes");
      records = Arrays.copyOf(records, (int) grown);
    }
    int record = used;
    records[record] = (byte) idLength;
    System.arraycopy(source, idStart, records, record + 1, idLength);
    int tail = record + 1 + idLength;
    records[tail] = (byte) scale;
    records[tail + 1] = (byte) currency;
    PriceCatalog.LONG.set(records, tail + 2, unscaled);
    used += length;
    return record;
  }

  /** False when {@code currency} would be one distinct currency too many. */
  boolean acceptsCurrency(String currency) {
    return currency == null || currencies.size() < MAX_CURRENCIES || currencies.contains(currency);
  }

  private int currencyIndex(String currency) {
    if (currency == null) {
      return 0;
    }
    int index = currencies.indexOf(currency);
    if (index < 0) {
      index = currencies.size();
      currencies.add(currency);
    }
    return index;
  }

  private boolean idEquals(int record, byte[] source, int start, int length) {
    return records[record] == length && Arrays.equals(records, record + 1, record + 1 + length, source, start, start + length);
  }

  /** The catalog; the builder must not be used after. */
  PriceCatalog build() {
    int[] finalTable = table;
    if (IdHash.tableSize(size) < table.length) {
      // Fewer entries than lines (comments, blank lines): a smaller table is enough.
      HeapHeadroom.reserve(4L * IdHash.tableSize(size), "the catalog's table");
      finalTable = new int[IdHash.tableSize(size)];
      int mask = finalTable.length - 1;
      for (int record = 0; record < used; record += records[record] + PriceCatalog.RECORD_OVERHEAD) {
        int slot = IdHash.of(records, record + 1, records[record]) & mask;
        while (finalTable[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        finalTable[slot] = record + 1;
      }
    }
    // Slack under an eighth stays: trimming would briefly hold the block twice.
    boolean trim = records.length - used > records.length / 8;
    if (trim) {
      HeapHeadroom.reserve(used, "the catalog's record block trimmed");
    }
    byte[] block = trim ? Arrays.copyOf(records, used) : records;
    return new PriceCatalog(block, finalTable, size, currencies.stream().map(String::intern).toArray(String[]::new));
  }
}
