package dev.footprint.model.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.footprint.model.ServingException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body as plain Java values, read with Jackson's streaming parser: objects are
 * {@code Map<String, Object>}, arrays {@code List<Object>}, numbers {@code Double}, and
 * {@code String}, {@code Boolean} or {@link #NULL}. Numbers may be {@code NaN}, {@code Infinity} and
 * {@code -Infinity}, as TensorFlow Serving's REST API allows. Text after the first value is ignored,
 * as TensorFlow Serving does.
 */
public final class JsonTree {
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };
  /** Jackson's default nesting limit, said here: the reader below recurses once a level. */
  static final int MAX_DEPTH = 1000;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
      .build();
  private static final int MAX_DEBUG_CHARS = 256;

  private JsonTree() {
  }

  public static Object parse(byte[] body) {
    if (body.length == 0) {
      throw ServingException.invalid("JSON Parse error: The document is empty");
    }
    try (JsonParser parser = FACTORY.createParser(body)) {
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          throw ServingException.invalid("JSON Parse error: The document is empty");
        }
        return read(parser, first);
      } catch (StreamConstraintsException e) {
        // Thrown without a location: the parser's is where the limit was crossed.
        throw ServingException.invalid("JSON Parse error: nesting deeper than " + MAX_DEPTH
            + " levels (a limit of this server) at offset: " + (parser.currentLocation().getByteOffset() - 1));
      }
    } catch (JsonProcessingException e) {
      long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
      throw ServingException.invalid("JSON Parse error: " + firstLine(e.getOriginalMessage()) + " at offset: " + offset);
    } catch (IOException e) {
      throw ServingException.invalid("JSON Parse error: " + firstLine(e.getMessage()));
    }
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> object = new LinkedHashMap<>();
        JsonToken next;
        while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          object.put(name, read(parser, parser.nextToken()));
        }
        expectEnd(next, JsonToken.END_OBJECT, parser);
        return object;
      }
      case START_ARRAY -> {
        List<Object> array = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY && next != null) {
          array.add(read(parser, next));
        }
        expectEnd(next, JsonToken.END_ARRAY, parser);
        return array;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return NULL;
      }
      default -> throw new com.fasterxml.jackson.core.JsonParseException(parser, "Unexpected token " + token);
    }
  }

  private static void expectEnd(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
    if (actual != expected) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "Unexpected end of input");
    }
  }

  /**
   * An object that is not base64 data: TensorFlow Serving reads {@code {"b64": "<string>"}} (that one
   * key, a string) as a value of a string tensor wherever a value may stand (json_tensor.cc), so
   * for a float input it is a value of the wrong type, never an object naming inputs.
   */
  public static boolean isNamedObject(Object value) {
    return value instanceof Map<?, ?> map && !(map.size() == 1 && map.get("b64") instanceof String);
  }

  /** TensorFlow Serving's names for JSON types in its messages. */
  public static String typeName(Object value) {
    if (value == NULL) {
      return "Null";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Map) {
      return "Object";
    }
    if (value instanceof List) {
      return "Array";
    }
    if (value instanceof String) {
      return "String";
    }
    return "Number";
  }

  /** Compact JSON for error messages, cut at 256 characters as TensorFlow Serving cuts them. */
  public static String debug(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.length() <= MAX_DEBUG_CHARS ? out.toString() : out.substring(0, MAX_DEBUG_CHARS);
  }

  private static void write(Object value, StringBuilder out) {
    if (out.length() > MAX_DEBUG_CHARS) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(first ? "" : ",");
        JsonOut.string(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(entry.getValue(), out);
        first = false;
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size() && out.length() <= MAX_DEBUG_CHARS; i++) {
        out.append(i == 0 ? "" : ",");
        write(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof String s) {
      JsonOut.string(out, s);
    } else if (value instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        out.append((long) d.doubleValue());
      } else {
        out.append(d);
      }
    } else {
      out.append(value);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
