package dev.footprint.core.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's OpenAPI 3.1 document, served at {@code GET /openapi.json}: the core's
 * ({@code openapi/core.json}: the error model, health, metrics, this document, the responses any
 * request can get) merged with the service's own ({@code openapi/<service>.json}, its paths and
 * schemas), once at start-up, then encoded once. The merge adds to every operation the core's
 * answers to any request it does not list (400, 408, 414, 431, 500, 503; 413 where it takes a body),
 * {@code X-App-Id} and {@code X-Pod-Name} to every response, and to every GET its HEAD (the same
 * responses, no body). A string {@code "${NAME}"} is replaced by the value of {@code NAME} (a limit
 * as a number), {@code ${NAME}} within a string by its text, so the limits are the running process's.
 */
public final class OpenApi {
  public static final String PATH = "/openapi.json";
  public static final String CORE_RESOURCE = "openapi/core.json";
  /** On a path item whose path is not the route's template (a regular expression route's several forms). */
  public static final String ROUTE_EXTENSION = "x-route";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Map<String, String> ANY_REQUEST = Map.of(
      "400", "BadRequest", "408", "RequestTimeout", "414", "UriTooLong", "431", "HeadersTooLarge",
      "500", "InternalError", "503", "Unavailable");

  private OpenApi() {
  }

  /** The merged document; {@code serviceDocument} may be null (the core's endpoints alone). */
  public static JsonObject build(JsonObject serviceDocument, Map<String, ?> values) {
    JsonObject core = read(OpenApi.class.getClassLoader(), CORE_RESOURCE);
    JsonObject service = serviceDocument == null ? new JsonObject() : serviceDocument;
    JsonObject info = core.getJsonObject("info").copy();
    JsonObject serviceInfo = service.getJsonObject("info", new JsonObject());
    if (serviceInfo.containsKey("description")) {
      info.put("description", serviceInfo.getString("description") + "\n\n" + info.getString("description"));
    }
    serviceInfo.forEach(e -> {
      if (!e.getKey().equals("description")) {
        info.put(e.getKey(), e.getValue());
      }
    });
    JsonObject paths = new JsonObject();
    merge(paths, service.getJsonObject("paths", new JsonObject()), "paths");
    merge(paths, core.getJsonObject("paths"), "paths");
    JsonObject components = core.getJsonObject("components").copy();
    for (var section : service.getJsonObject("components", new JsonObject())) {
      JsonObject merged = components.getJsonObject(section.getKey(), new JsonObject()).copy();
      merge(merged, (JsonObject) section.getValue(), "components/" + section.getKey());
      components.put(section.getKey(), merged);
    }
    JsonObject document = new JsonObject().put("openapi", "3.1.0").put("info", info);
    if (service.containsKey("tags")) {
      document.put("tags", service.getJsonArray("tags"));
    }
    document.put("paths", paths).put("components", components);
    for (var path : paths) {
      completePathItem((JsonObject) path.getValue(), components.getJsonObject("responses"));
    }
    return (JsonObject) substitute(document, values);
  }

  /** Reads a JSON resource, or null when {@code loader} has none of that name. */
  public static JsonObject readIfPresent(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static JsonObject read(ClassLoader loader, String resource) {
    JsonObject document = readIfPresent(loader, resource);
    if (document == null) {
      throw new IllegalStateException(resource + " is missing from the class path");
    }
    return document;
  }

  /** GET (and HEAD) /openapi.json: the document's bytes, the same buffer every time. */
  public static Handler<RoutingContext> handler(Buffer encoded) {
    return ctx -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(encoded);
  }

  private static void merge(JsonObject into, JsonObject from, String where) {
    for (var entry : from) {
      if (into.containsKey(entry.getKey())) {
        throw new IllegalStateException("OpenAPI: " + where + "/" + entry.getKey() + " is declared by the core and by the service");
      }
      into.put(entry.getKey(), entry.getValue());
    }
  }

  private static void completePathItem(JsonObject item, JsonObject sharedResponses) {
    for (String method : METHODS) {
      JsonObject operation = item.getJsonObject(method);
      if (operation == null) {
        continue;
      }
      JsonObject responses = operation.getJsonObject("responses");
      ANY_REQUEST.forEach((status, name) -> {
        if (!responses.containsKey(status)) {
          responses.put(status, new JsonObject().put("$ref", "#/components/responses/" + name));
        }
      });
      if (operation.containsKey("requestBody") && !responses.containsKey("413")) {
        responses.put("413", new JsonObject().put("$ref", "#/components/responses/PayloadTooLarge"));
      }
      for (var response : responses) {
        JsonObject value = (JsonObject) response.getValue();
        if (!value.containsKey("$ref")) {
          JsonObject headers = value.getJsonObject("headers", new JsonObject());
          headers.put("X-App-Id", new JsonObject().put("$ref", "#/components/headers/X-App-Id"));
          headers.put("X-Pod-Name", new JsonObject().put("$ref", "#/components/headers/X-Pod-Name"));
          value.put("headers", headers);
        }
      }
    }
    JsonObject get = item.getJsonObject("get");
    if (get != null && !item.containsKey("head")) {
      item.put("head", headOf(get, sharedResponses));
    }
  }

  /** GET's operation for HEAD: the same statuses and headers, no content. */
  private static JsonObject headOf(JsonObject get, JsonObject sharedResponses) {
    JsonObject head = get.copy();
    head.remove("requestBody");
    if (head.containsKey("operationId")) {
      head.put("operationId", head.getString("operationId") + "Head");
    }
    head.put("summary", "HEAD of GET: " + get.getString("summary", ""));
    JsonObject responses = new JsonObject();
    for (var response : head.getJsonObject("responses")) {
      JsonObject value = (JsonObject) response.getValue();
      if (value.containsKey("$ref")) {
        String ref = value.getString("$ref");
        value = sharedResponses.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1)).copy();
      }
      value.remove("content");
      responses.put(response.getKey(), value);
    }
    return head.put("responses", responses);
  }

  private static Object substitute(Object value, Map<String, ?> values) {
    if (value instanceof JsonObject object) {
      JsonObject out = new JsonObject();
      object.forEach(e -> out.put(e.getKey(), substitute(e.getValue(), values)));
      return out;
    }
    if (value instanceof JsonArray array) {
      List<Object> out = new ArrayList<>(array.size());
      array.forEach(v -> out.add(substitute(v, values)));
      return new JsonArray(out);
    }
    if (value instanceof String text && text.contains("${")) {
      Matcher whole = PLACEHOLDER.matcher(text);
      if (whole.matches()) {
        return valueOf(whole.group(1), values);
      }
      return PLACEHOLDER.matcher(text).replaceAll(m -> Matcher.quoteReplacement(String.valueOf(valueOf(m.group(1), values))));
    }
    return value;
  }

  private static Object valueOf(String name, Map<String, ?> values) {
    Object value = values.get(name);
    if (value == null) {
      throw new IllegalStateException("OpenAPI: no value for ${" + name + "}");
    }
    return value;
  }
}
