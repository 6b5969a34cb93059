package dev.footprint.converter;

import dev.footprint.core.http.MediaTypes;
import dev.footprint.core.http.HttpErrors;
import dev.footprint.core.http.JsonBodies;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /convert}. The answer is written by hand rather than through a JSON tree: its shape is fixed,
 * a double's {@code toString} of a finite value is a valid JSON number, and the app id is hex.
 */
final class ConvertHandlers {
  private static final String FIELD = "fahrenheit";
  /** JSON's number grammar: Double.parseDouble alone would also take "NaN", "0x1p3" or "1d". */
  private static final Pattern JSON_NUMBER = Pattern.compile("-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?");

  private final String appIdTail;
  private final int maxBatchSize;

  ConvertHandlers(String appId, int maxBatchSize) {
    this.appIdTail = ",\"app_id\":\"" + appId + "\"}";
    this.maxBatchSize = maxBatchSize;
  }

  /** POST {"fahrenheit": n} or {"fahrenheit": [n, ...]}: the answer's JSON. */
  String post(Buffer raw) {
    double single = SingleValueBody.fahrenheit(raw);
    if (!Double.isNaN(single)) {
      return answer(celsius(single));
    }
    JsonObject body = JsonBodies.object(raw);
    if (!body.containsKey(FIELD)) {
      throw HttpErrors.badRequest("missing field \"fahrenheit\": send {\"fahrenheit\": <number>} or {\"fahrenheit\": [<number>, ...]}");
    }
    Object value = body.getValue(FIELD);
    return answer(value instanceof JsonArray batch ? convertBatch(batch) : celsius(JsonBodies.finiteDouble(value, FIELD)));
  }

  /** GET /convert?fahrenheit=n, for a browser or curl. */
  void get(RoutingContext ctx) {
    List<String> values = ctx.queryParam(FIELD);
    if (values.isEmpty()) {
      throw HttpErrors.badRequest("missing query parameter \"fahrenheit\": try /convert?fahrenheit=212");
    }
    if (values.size() > 1) {
      throw HttpErrors.badRequest("query parameter \"fahrenheit\" given " + values.size() + " times: give it once");
    }
    String text = values.get(0).trim();
    if (!JSON_NUMBER.matcher(text).matches()) {
      throw HttpErrors.badRequest("query parameter \"fahrenheit\" must be a number, not \"" + abbreviate(text) + "\"");
    }
    double fahrenheit = Double.parseDouble(text);
    if (!Double.isFinite(fahrenheit)) {
      throw HttpErrors.badRequest("query parameter \"fahrenheit\" is out of range: " + abbreviate(text));
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(answer(celsius(fahrenheit)));
  }

  private String convertBatch(JsonArray batch) {
    int size = batch.size();
    if (size > maxBatchSize) {
      throw HttpErrors.error(413, "batch of " + size + " values is over the limit of " + maxBatchSize + " (MAX_BATCH_SIZE)");
    }
    StringBuilder json = new StringBuilder(16 + size * 20).append('[');
    for (int i = 0; i < size; i++) {
      double fahrenheit = JsonBodies.finiteDouble(batch.getValue(i), "fahrenheit[" + i + "]");
      if (i > 0) {
        json.append(',');
      }
      json.append(celsius(fahrenheit));
    }
    return json.append(']').toString();
  }

  private static String celsius(double fahrenheit) {
    double celsius = Temperature.fahrenheitToCelsius(fahrenheit);
    if (!Double.isFinite(celsius)) {
      // Only near Double.MAX_VALUE: (f - 32) * 5 overflows before the division.
      throw HttpErrors.badRequest("\"fahrenheit\" is out of range: " + fahrenheit);
    }
    return Double.toString(celsius);
  }

  private String answer(String celsiusJson) {
    return "{\"celsius\":" + celsiusJson + appIdTail;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
