package dev.footprint.price;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A price as the file wrote it, kept exact: an unscaled integer and a scale (the number of decimals
 * written), so {@code 49.5} is (495, 1) and stays {@code 49.5}, and {@code 19.90} stays {@code 19.90}.
 * Never a binary floating point value. Written straight into bytes, as a JSON number or plain text.
 */
final class PriceText {
  /** Digits before the decimal point, at most. */
  static final int MAX_INTEGER_DIGITS = 12;
  /** Digits after the decimal point, at most. With 12 before, every price fits a long exactly. */
  static final int MAX_DECIMALS = 6;
  /** The longest price text: 12 digits, a point, 6 decimals. */
  static final int MAX_LENGTH = MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS;

  private PriceText() {
  }

  /** Writes the price at {@code out[pos]} and returns the position after it. */
  static int write(long unscaled, int scale, byte[] out, int pos) {
    int digits = digitCount(unscaled);
    int integerDigits = Math.max(1, digits - scale);
    int end = pos + integerDigits + (scale > 0 ? 1 + scale : 0);
    int p = end;
    long rest = unscaled;
    for (int i = 0; i < scale; i++) {
      out[--p] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    if (scale > 0) {
      out[--p] = '.';
    }
    do {
      out[--p] = (byte) ('0' + rest % 10);
      rest /= 10;
    } while (rest > 0);
    return end;
  }

  static String toString(long unscaled, int scale) {
    byte[] out = new byte[MAX_LENGTH];
    int end = write(unscaled, scale, out, 0);
    return new String(out, 0, end, StandardCharsets.US_ASCII);
  }

  static BigDecimal toBigDecimal(long unscaled, int scale) {
    return BigDecimal.valueOf(unscaled, scale);
  }

  private static int digitCount(long value) {
    int count = 1;
    for (long v = value; v >= 10; v /= 10) {
      count++;
    }
    return count;
  }
}
