package dev.footprint.price;

import io.vertx.core.json.JsonObject;

/** One reason a price list was rejected: the line it is on (0 for the file as a whole) and what is wrong. */
record LineError(int line, String message) {

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (line > 0) {
      json.put("line", line);
    }
    return json.put("message", message);
  }

  @Override
  public String toString() {
    return line > 0 ? "line " + line + ": " + message : message;
  }
}
