package dev.footprint.converter;

import io.vertx.core.buffer.Buffer;

/**
 * The converter's most common body, {@code {"fahrenheit": <number>}} and nothing else, read straight
 * from its bytes: a Jackson parser and a JsonObject for one field were 5 % of the event loop at
 * saturation, about a tenth of the converter's own time per request (bench/profile.sh). Anything that is not exactly that shape (another field, an escape, a batch, bad
 * JSON, a number that overflows) is left to the full reader, so every other body, and every error
 * answer, stays as it was.
 */
final class SingleValueBody {
  private static final byte[] FIELD = "\"fahrenheit\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** Longer numbers go to the full reader, whose limit (Jackson's 1,000 characters) answers them. */
  private static final int MAX_NUMBER_LENGTH = 100;

  private SingleValueBody() {
  }

  /** The body's finite value, or NaN when the body is not exactly {"fahrenheit": number}. */
  static double fahrenheit(Buffer body) {
    int end = body.length();
    int i = skipSpace(body, 0, end);
    if (i >= end || body.getByte(i) != '{') {
      return Double.NaN;
    }
    i = skipSpace(body, i + 1, end);
    if (end - i < FIELD.length) {
      return Double.NaN;
    }
    for (byte b : FIELD) {
      if (body.getByte(i++) != b) {
        return Double.NaN;
      }
    }
    i = skipSpace(body, i, end);
    if (i >= end || body.getByte(i) != ':') {
      return Double.NaN;
    }
    int start = skipSpace(body, i + 1, end);
    int afterNumber = number(body, start, end);
    if (afterNumber < 0 || afterNumber - start > MAX_NUMBER_LENGTH) {
      return Double.NaN;
    }
    i = skipSpace(body, afterNumber, end);
    if (i >= end || body.getByte(i) != '}' || skipSpace(body, i + 1, end) != end) {
      return Double.NaN;
    }
    double value = Double.parseDouble(body.getString(start, afterNumber, "US-ASCII"));
    return Double.isFinite(value) ? value : Double.NaN;
  }

  /** JSON's whitespace (RFC 8259: space, tab, line feed, carriage return). */
  private static int skipSpace(Buffer body, int i, int end) {
    while (i < end) {
      byte b = body.getByte(i);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  /** The end of a JSON number starting at {@code i}, or -1: {@code -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?}. */
  private static int number(Buffer body, int i, int end) {
    if (i < end && body.getByte(i) == '-') {
      i++;
    }
    if (i >= end) {
      return -1;
    }
    if (body.getByte(i) == '0') {
      i++;
    } else {
      int digits = digits(body, i, end);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    if (i < end && body.getByte(i) == '.') {
      int digits = digits(body, i + 1, end);
      if (digits == i + 1) {
        return -1;
      }
      i = digits;
    }
    if (i < end && (body.getByte(i) == 'e' || body.getByte(i) == 'E')) {
      i++;
      if (i < end && (body.getByte(i) == '+' || body.getByte(i) == '-')) {
        i++;
      }
      int digits = digits(body, i, end);
      if (digits == i) {
        return -1;
      }
      i = digits;
    }
    return i;
  }

  private static int digits(Buffer body, int i, int end) {
    while (i < end && body.getByte(i) >= '0' && body.getByte(i) <= '9') {
      i++;
    }
    return i;
  }
}
