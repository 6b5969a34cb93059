package dev.footprint.price;

import java.nio.charset.StandardCharsets;

/** Currency codes: three capital letters (ISO 4217 style). One String per code, shared by every line. */
final class Currencies {
  private static final String[] CODES = new String[26 * 26 * 26];

  private Currencies() {
  }

  static boolean isValid(String code) {
    return code != null && code.length() == 3 && isUpper(code.charAt(0)) && isUpper(code.charAt(1)) && isUpper(code.charAt(2));
  }

  /** The code at {@code bytes[start, start + 3)}, which the caller checked are capital letters. */
  static String code(byte[] bytes, int start) {
    int index = ((bytes[start] - 'A') * 26 + (bytes[start + 1] - 'A')) * 26 + (bytes[start + 2] - 'A');
    String code = CODES[index];
    if (code == null) {
      code = new String(bytes, start, 3, StandardCharsets.US_ASCII).intern();
      CODES[index] = code;
    }
    return code;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }
}
