package dev.footprint.core.http;

import io.vertx.core.buffer.Buffer;

/** How deep a JSON text nests, found without parsing it: brackets and braces counted outside strings. */
final class JsonDepth {
  private JsonDepth() {
  }

  /** Whether {@code json} opens more than {@code max} arrays or objects inside one another. */
  static boolean exceeds(Buffer json, int max) {
    int depth = 0;
    boolean inString = false;
    int length = json.length();
    for (int i = 0; i < length; i++) {
      byte b = json.getByte(i);
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        if (++depth > max) {
          return true;
        }
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    return false;
  }
}
