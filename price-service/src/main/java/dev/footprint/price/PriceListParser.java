package dev.footprint.price;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a price list (the format is in the README): UTF-8 lines (the last one may lack its line break);
 * {@code id,price} or {@code id,price,currency} records; {@code #} comments and blank lines skipped.
 * All or nothing: one bad line rejects the whole list, with every error (up to {@value #MAX_ERRORS})
 * named by its line number.
 *
 * <p>Works on bytes, never on a String per line: a million lines parse in a few hundred milliseconds.
 * Single use: one parser per input.
 */
final class PriceListParser {
  /** Parsing stops after this many errors: a garbage file is not worth a million messages. */
  static final int MAX_ERRORS = 20;
  private static final int SHOWN_TEXT = 40;

  private final byte[] data;
  private final String defaultCurrency;
  private final int maxProducts;
  private final List<LineError> errors = new ArrayList<>();
  private boolean stoppedEarly;
  private PriceCatalogBuilder builder;
  /** Where the first line starts: after a byte order mark, if any. */
  private int firstLineStart;
  /** The scale of the price {@link #parsePrice} read last. */
  private int scaleOfLastPrice;

  private PriceListParser(byte[] data, String defaultCurrency, int maxProducts) {
    this.data = data;
    this.defaultCurrency = defaultCurrency;
    this.maxProducts = maxProducts;
  }

  static ParseResult parse(byte[] data, String defaultCurrency, int maxProducts) {
    return new PriceListParser(data, defaultCurrency, maxProducts).parse();
  }

  private ParseResult parse() {
    int length = data.length;
    if (length == 0) {
      return rejectedWith(0, "the file is empty: a price list needs at least one line id,price");
    }
    int start = hasByteOrderMark() ? 3 : 0;
    firstLineStart = start;
    if (start == length) {
      return rejectedWith(0, "the file is empty: a price list needs at least one line id,price");
    }
    int lineBreaks = 0;
    boolean ascii = true;
    for (int i = start; i < length; i++) {
      byte b = data[i];
      if (b == '\n') {
        lineBreaks++;
      } else if (b < 0) {
        ascii = false;
      }
    }
    if (!ascii && !checkUtf8(start)) {
      return new ParseResult.Rejected(errors, false);
    }
    // The loop reads the lines that end with a line break; a last line without one is read after it.
    int end = length;
    if (data[length - 1] != '\n') {
      end = lastIndexOf((byte) '\n', start, length) + 1;
    }

    int capacity = Math.max(1, Math.min(lineBreaks + 1, maxProducts));
    builder = new PriceCatalogBuilder(capacity, defaultCurrency);
    int line = 0;
    for (int p = start; p < end && !stoppedEarly; ) {
      int lineBreak = indexOf((byte) '\n', p, end);
      int lineEnd = lineBreak > p && data[lineBreak - 1] == '\r' ? lineBreak - 1 : lineBreak;
      parseLine(++line, p, lineEnd);
      p = lineBreak + 1;
    }
    if (end < length && !stoppedEarly) {
      parseLastLineWithoutBreak(line + 1, end, length);
    }
    if (!errors.isEmpty()) {
      return new ParseResult.Rejected(errors, stoppedEarly);
    }
    if (builder.size() == 0) {
      return rejectedWith(0, "no products: the file has only comments and blank lines");
    }
    return new ParseResult.Parsed(builder.build());
  }

  /**
   * A last line without its line break: files written by hand or by the Flask service's tools often
   * end that way, and such a line counts if it is a whole record. If it does not parse, the file was
   * most likely cut short while being written: the error says so.
   */
  private void parseLastLineWithoutBreak(int line, int start, int length) {
    int errorsBefore = errors.size();
    parseLine(line, start, data[length - 1] == '\r' ? length - 1 : length);
    if (errors.size() > errorsBefore) {
      LineError cut = errors.remove(errors.size() - 1);
      errors.add(new LineError(cut.line(), "the last line has no line break and does not parse, the file looks truncated: " + cut.message()));
    }
  }

  private void parseLine(int line, int start, int end) {
    int p = skipBlanks(start, end);
    if (p == end || data[p] == '#') {
      return;
    }
    int firstComma = indexOf((byte) ',', p, end);
    if (firstComma == end) {
      error(line, "no price: expected id,price in " + text(start, end));
      return;
    }
    int secondComma = indexOf((byte) ',', firstComma + 1, end);
    if (secondComma < end && indexOf((byte) ',', secondComma + 1, end) < end) {
      error(line, "too many fields: expected id,price or id,price,currency in " + text(start, end));
      return;
    }
    int idStart = p;
    int idEnd = trimEnd(p, firstComma);
    int priceStart = skipBlanks(firstComma + 1, end);
    int priceEnd = trimEnd(priceStart, secondComma);
    if (!checkId(line, idStart, idEnd)) {
      return;
    }
    long price = parsePrice(line, priceStart, priceEnd);
    if (price < 0) {
      return;
    }
    String currency = null;
    if (secondComma < end) {
      int currencyStart = skipBlanks(secondComma + 1, end);
      currency = parseCurrency(line, currencyStart, trimEnd(currencyStart, end));
      if (currency == null) {
        return;
      }
    }
    add(line, idStart, idEnd - idStart, price, currency);
  }

  private void add(int line, int idStart, int idLength, long price, String currency) {
    if (builder.size() == maxProducts) {
      error(line, "more than " + maxProducts + " products (PRICES_MAX_PRODUCTS)");
      stoppedEarly = true;
      return;
    }
    if (!builder.acceptsCurrency(currency)) {
      error(line, "more than " + PriceCatalogBuilder.MAX_CURRENCIES + " different currencies");
      return;
    }
    if (builder.add(data, idStart, idLength, price, scaleOfLastPrice, currency) >= 0) {
      error(line, "duplicate product id " + text(idStart, idStart + idLength) + " (first on line " + firstLineWithId(idStart, idLength) + ")");
    }
  }

  /** The first line whose id is {@code data[idStart, idStart + idLength)}: a scan, but only for an error. */
  private int firstLineWithId(int idStart, int idLength) {
    int line = 0;
    for (int p = firstLineStart; p < idStart; ) {
      int lineBreak = indexOf((byte) '\n', p, data.length);
      line++;
      int fieldStart = skipBlanks(p, lineBreak);
      int fieldEnd = trimEnd(fieldStart, indexOf((byte) ',', fieldStart, lineBreak));
      if (fieldEnd - fieldStart == idLength && Arrays.equals(data, fieldStart, fieldEnd, data, idStart, idStart + idLength)) {
        return line;
      }
      p = lineBreak + 1;
    }
    throw new IllegalStateException("a duplicate without a first line");
  }

  private boolean checkId(int line, int start, int end) {
    if (start == end) {
      error(line, "empty product id");
      return false;
    }
    for (int i = start; i < end; i++) {
      if (!ProductIds.isAllowed(data[i])) {
        String id = new String(data, start, end - start, StandardCharsets.UTF_8);
        int bad = id.codePoints().filter(c -> !ProductIds.isAllowed(c)).findFirst().orElse('?');
        error(line, "invalid character " + describe(bad) + " in product id " + quote(id) + ": use " + ProductIds.RULE);
        return false;
      }
    }
    if (end - start > ProductIds.MAX_LENGTH) {
      error(line, "product id " + text(start, end) + " is " + (end - start) + " characters long: at most " + ProductIds.MAX_LENGTH);
      return false;
    }
    return true;
  }

  /** The unscaled price, or -1 after reporting why it is not one. */
  private long parsePrice(int line, int start, int end) {
    if (start == end) {
      error(line, "empty price");
      return -1;
    }
    boolean negative = data[start] == '-';
    int p = negative ? start + 1 : start;
    int integerStart = p;
    long value = 0;
    while (p < end && isDigit(data[p])) {
      value = value * 10 + (data[p++] - '0');
    }
    int integerDigits = p - integerStart;
    int decimals = 0;
    boolean wellFormed = integerDigits > 0;
    if (wellFormed && p < end && data[p] == '.') {
      int fractionStart = ++p;
      while (p < end && isDigit(data[p])) {
        value = value * 10 + (data[p++] - '0');
      }
      decimals = p - fractionStart;
      wellFormed = decimals > 0;
    }
    if (!wellFormed || p != end) {
      error(line, "malformed price " + text(start, end) + ": expected digits with an optional '.' and 1 to "
          + PriceText.MAX_DECIMALS + " decimals, like 19.99");
      return -1;
    }
    if (negative) {
      error(line, "negative price " + text(start, end) + ": a price is 0 or more");
      return -1;
    }
    if (integerDigits > PriceText.MAX_INTEGER_DIGITS) {
      error(line, "price " + text(start, end) + " has " + integerDigits + " digits before the decimal point: at most "
          + PriceText.MAX_INTEGER_DIGITS);
      return -1;
    }
    if (decimals > PriceText.MAX_DECIMALS) {
      error(line, "price " + text(start, end) + " has " + decimals + " decimals: at most " + PriceText.MAX_DECIMALS);
      return -1;
    }
    scaleOfLastPrice = decimals;
    return value;
  }

  private String parseCurrency(int line, int start, int end) {
    boolean valid = end - start == 3;
    for (int i = start; valid && i < end; i++) {
      valid = data[i] >= 'A' && data[i] <= 'Z';
    }
    if (!valid) {
      error(line, "invalid currency " + text(start, end) + ": expected 3 capital letters (ISO 4217), like EUR");
      return null;
    }
    return Currencies.code(data, start);
  }

  /** Checks the whole input is UTF-8; on the first bad byte reports its line and returns false. */
  private boolean checkUtf8(int start) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(data, start, data.length - start);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        int offset = in.position();
        int line = 1;
        for (int i = start; i < offset; i++) {
          if (data[i] == '\n') {
            line++;
          }
        }
        error(line, String.format("bytes that are not UTF-8 (0x%02X at byte offset %d): save the file as UTF-8",
            data[offset] & 0xFF, offset));
        return false;
      }
      if (result.isUnderflow()) {
        return true;
      }
      out.clear();
    }
  }

  private ParseResult rejectedWith(int line, String message) {
    error(line, message);
    return new ParseResult.Rejected(errors, false);
  }

  private void error(int line, String message) {
    errors.add(new LineError(line, message));
    if (errors.size() >= MAX_ERRORS) {
      stoppedEarly = true;
    }
  }

  private boolean hasByteOrderMark() {
    return data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF;
  }

  private int skipBlanks(int p, int end) {
    while (p < end && (data[p] == ' ' || data[p] == '\t')) {
      p++;
    }
    return p;
  }

  private int trimEnd(int start, int end) {
    while (end > start && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
      end--;
    }
    return end;
  }

  private int indexOf(byte b, int from, int end) {
    for (int i = from; i < end; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return end;
  }

  private int lastIndexOf(byte b, int start, int end) {
    for (int i = end - 1; i >= start; i--) {
      if (data[i] == b) {
        return i;
      }
    }
    return start - 1;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  private String text(int start, int end) {
    return quote(new String(data, start, end - start, StandardCharsets.UTF_8));
  }

  private static String quote(String text) {
    return "\"" + (text.length() <= SHOWN_TEXT ? text : text.substring(0, SHOWN_TEXT) + "...") + "\"";
  }

  private static String describe(int codePoint) {
    if (codePoint > 32 && codePoint < 127) {
      return "'" + (char) codePoint + "'";
    }
    String name = codePoint == ' ' ? "space" : codePoint == '\t' ? "tab" : codePoint == '\r' ? "carriage return" : null;
    return String.format("U+%04X%s", codePoint, name == null ? "" : " (" + name + ")");
  }
}
