package dev.footprint.price;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Writes the answers of the lookup endpoints straight into bytes: their shape is fixed, ids and
 * currency codes are ASCII that JSON never escapes, and a price is written digit by digit from its
 * unscaled value. No JSON tree, no String per answer. One instance per event loop: the scratch array
 * is that loop's alone.
 */
final class PriceJson {
  private static final byte[] PRODUCT_ID = ascii("{\"productId\":\"");
  private static final byte[] PRICE = ascii("\",\"price\":");
  private static final byte[] CURRENCY = ascii(",\"currency\":\"");
  private static final byte[] END = ascii("\"}");
  /** The longest entry: every fixed part, the longest id, price and currency. */
  static final int MAX_ENTRY_BYTES = PRODUCT_ID.length + ProductIds.MAX_LENGTH + PRICE.length + PriceText.MAX_LENGTH
      + CURRENCY.length + 3 + END.length;

  private final byte[] scratch = new byte[Math.max(MAX_ENTRY_BYTES, ProductIds.MAX_LENGTH + PriceText.MAX_LENGTH)];

  /** {"productId":"P1","price":49.5,"currency":"USD"} as a buffer of its own. */
  Buffer entry(PriceCatalog catalog, int entry) {
    int length = writeEntry(catalog, entry);
    return Buffer.buffer(length).appendBytes(scratch, 0, length);
  }

  /** Appends {"productId":"P1","price":49.5,"currency":"USD"} to {@code out}. */
  void appendEntry(Buffer out, PriceCatalog catalog, int entry) {
    out.appendBytes(scratch, 0, writeEntry(catalog, entry));
  }

  /** The price alone, as plain text: {@code 49.5}. */
  Buffer plainPrice(PriceCatalog catalog, int entry) {
    int length = catalog.writePrice(entry, scratch, 0);
    return Buffer.buffer(length).appendBytes(scratch, 0, length);
  }

  private int writeEntry(PriceCatalog catalog, int entry) {
    int p = put(PRODUCT_ID, 0);
    p = catalog.writeId(entry, scratch, p);
    p = put(PRICE, p);
    p = catalog.writePrice(entry, scratch, p);
    p = put(CURRENCY, p);
    String currency = catalog.currency(entry);
    for (int i = 0; i < currency.length(); i++) {
      scratch[p++] = (byte) currency.charAt(i);
    }
    return put(END, p);
  }

  private int put(byte[] bytes, int p) {
    System.arraycopy(bytes, 0, scratch, p, bytes.length);
    return p + bytes.length;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
