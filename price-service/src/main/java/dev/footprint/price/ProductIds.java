package dev.footprint.price;

/**
 * What a product id may be: 1 to {@value #MAX_LENGTH} characters among {@code A-Z a-z 0-9 . _ -},
 * case-sensitive. ASCII only, so an id is the same in a URL path, a query, JSON and the file, needs no
 * escaping anywhere, and compares byte for char without decoding.
 */
final class ProductIds {
  static final int MAX_LENGTH = 64;
  static final String RULE = "1 to " + MAX_LENGTH + " characters among A-Z a-z 0-9 . _ -";

  private static final boolean[] ALLOWED = new boolean[128];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      ALLOWED[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      ALLOWED[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ALLOWED[c] = true;
    }
    ALLOWED['.'] = true;
    ALLOWED['_'] = true;
    ALLOWED['-'] = true;
  }

  private ProductIds() {
  }

  static boolean isValid(String id) {
    int length = id == null ? 0 : id.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (!isAllowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean isAllowed(int c) {
    return c >= 0 && c < 128 && ALLOWED[c];
  }

  /** The message of a 400 for {@code id}, which may be anything a client sent. */
  static String invalidMessage(String id) {
    if (id == null || id.isEmpty()) {
      return "product id is empty: use " + RULE;
    }
    String shown = id.length() <= 80 ? id : id.substring(0, 80) + "...";
    return "invalid product id \"" + shown + "\": use " + RULE;
  }
}
