package dev.footprint.core.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.PlatformHandler;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Reading JSON request bodies, with a clear 4xx for each way a client can get them wrong. */
public final class JsonBodies {
  /**
   * Deepest nesting of arrays and objects read. Vert.x builds a body's JsonObject recursively, and
   * under the images' 256 KiB thread stacks about 800 levels overflowed it (a StackOverflowError, a
   * 500); Jackson's own limit (1,000) comes too late. No API here nests deeper than a few levels.
   */
  public static final int MAX_DEPTH = 64;
  private static final int MAX_ECHO = 120;

  private JsonBodies() {
  }

  /**
   * True for a JSON media type ({@code application/json}, {@code application/*+json}) and for no
   * Content-Type at all: the clients this project replaces posted JSON without one.
   */
  public static boolean acceptsContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    int semicolon = contentType.indexOf(';');
    String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
    return mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
  }

  /** Rejects a request whose Content-Type is present and not JSON with 415, before its body is read. */
  static final PlatformHandler REQUIRE_JSON_CONTENT_TYPE = ctx -> {
    if (!acceptsContentType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      throw new HttpException(415);
    }
    ctx.next();
  };

  /** The body as a JSON object; 400 when empty, malformed or another JSON type. */
  public static JsonObject object(RoutingContext ctx) {
    return object(ctx.body().buffer());
  }

  /** As {@link #object(RoutingContext)}, from the body's bytes ({@code null}: none). */
  public static JsonObject object(Buffer body) {
    Object value = value(body);
    if (value instanceof JsonObject object) {
      return object;
    }
    throw HttpErrors.badRequest("request body must be a JSON object, not " + typeName(value));
  }

  /** The body as any JSON value; 400 when empty or malformed. */
  public static Object value(RoutingContext ctx) {
    return value(ctx.body().buffer());
  }

  /** As {@link #value(RoutingContext)}, from the body's bytes ({@code null}: none). */
  public static Object value(Buffer body) {
    if (body == null || body.length() == 0) {
      throw HttpErrors.badRequest("request body is empty: expected a JSON object");
    }
    if (JsonDepth.exceeds(body, MAX_DEPTH)) {
      throw HttpErrors.badRequest("malformed JSON: nested deeper than " + MAX_DEPTH + " levels");
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      throw HttpErrors.badRequest("malformed JSON: " + firstLine(e));
    }
  }

  /**
   * A finite double from a JSON value: a number within double range. Strings, booleans, null, NaN,
   * infinities and numbers beyond double range are 400s that name {@code field}.
   */
  public static double finiteDouble(Object value, String field) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
      throw HttpErrors.badRequest("\"" + field + "\" is out of range: " + abbreviate(numberText(number)));
    }
    throw HttpErrors.badRequest("\"" + field + "\" must be a number, not " + typeName(value));
  }

  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    return value.getClass().getSimpleName();
  }

  private static String numberText(Number number) {
    if (number instanceof BigInteger || number instanceof BigDecimal) {
      return number.toString();
    }
    return String.valueOf(number);
  }

  private static String firstLine(DecodeException e) {
    String message = e.getMessage() == null ? "unreadable" : e.getMessage();
    // Jackson appends the source and location on later lines; the first line says what was wrong.
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    if (message.startsWith("Failed to decode:")) {
      message = message.substring("Failed to decode:".length()).trim();
    }
    return abbreviate(message);
  }

  static String abbreviate(String text) {
    return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "...";
  }
}
