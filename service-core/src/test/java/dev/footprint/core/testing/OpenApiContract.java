package dev.footprint.core.testing;

import dev.footprint.core.http.OpenApi;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds a running service's {@code /openapi.json} to its router and to its answers: the document is
 * valid OpenAPI 3.1 (swagger-parser), every route's methods are operations of the document and every
 * operation is a route's (a path item names its route in {@code x-route} when its path is one form of
 * a regular expression route), and each operation, called with plain parameter values, reaches its
 * route (not the router's "no route" 404 or 405) and answers a status the operation documents.
 */
public final class OpenApiContract {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

  private OpenApiContract() {
  }

  /** Fetches the document from {@code served}, checks all of the above, and returns it. */
  public static JsonObject check(Served served) throws IOException {
    HttpResponse<Buffer> response = served.client().get(OpenApi.PATH);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
    HttpAssertions.assertHeadLikeGet(served.port(), OpenApi.PATH, true);
    JsonObject document = response.bodyAsJsonObject();
    assertThat(document.getString("openapi")).isEqualTo("3.1.0");
    assertThat(validationMessages(document.encode())).as("swagger-parser's messages").isEmpty();
    assertThat(routeMismatches(served.server().running().routes(), document)).as("routes against the document").isEmpty();
    assertThat(callEveryOperation(served, document)).as("operations called").isEmpty();
    return document;
  }

  /** What swagger-parser finds wrong with {@code json} as an OpenAPI document (empty: nothing). */
  public static List<String> validationMessages(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
    List<String> messages = new ArrayList<>(result.getMessages() == null ? List.of() : result.getMessages());
    if (result.getOpenAPI() == null) {
      messages.add("not read as OpenAPI");
    } else if (!"3.1.0".equals(result.getOpenAPI().getOpenapi())) {
      messages.add("not OpenAPI 3.1.0: " + result.getOpenAPI().getOpenapi());
    }
    return messages;
  }

  /**
   * "METHOD route" of every route with methods that the document lacks ("route: ..."), and of every
   * operation no route has ("document: ..."). A route's {@code /:param} segment is the document's {@code /{param}}.
   */
  public static List<String> routeMismatches(List<Route> routes, JsonObject document) {
    Set<String> routed = new TreeSet<>();
    for (Route route : routes) {
      if (route.getName() == null || route.methods() == null || route.methods().isEmpty()) {
        continue;
      }
      String name = route.getName().replaceAll("/:([A-Za-z0-9_]+)", "/{$1}");
      for (HttpMethod method : route.methods()) {
        routed.add(method.name() + " " + name);
      }
    }
    Set<String> documented = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      String route = item.getString(OpenApi.ROUTE_EXTENSION, path);
      for (String key : item.fieldNames()) {
        if (METHODS.contains(key)) {
          documented.add(key.toUpperCase(java.util.Locale.ROOT) + " " + route);
        }
      }
    }
    List<String> mismatches = new ArrayList<>();
    routed.stream().filter(r -> !documented.contains(r)).forEach(r -> mismatches.add("route not documented: " + r));
    documented.stream().filter(d -> !routed.contains(d)).forEach(d -> mismatches.add("documented, no route: " + d));
    return mismatches;
  }

  /**
   * Calls every operation once, its path parameters "1" for a version and "x" otherwise, a POST with
   * {@code {}}; returns what went wrong: a call that reached no route, or answered an undocumented status.
   */
  private static List<String> callEveryOperation(Served served, JsonObject document) {
    List<String> problems = new ArrayList<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      Matcher m = TEMPLATE.matcher(path);
      String uri = m.replaceAll(r -> r.group(1).equals("version") ? "1" : "x");
      for (String key : item.fieldNames()) {
        if (!METHODS.contains(key)) {
          continue;
        }
        JsonObject operation = item.getJsonObject(key);
        String query = queryOf(operation);
        HttpMethod method = HttpMethod.valueOf(key.toUpperCase(java.util.Locale.ROOT));
        HttpResponse<Buffer> response = method == HttpMethod.POST
            ? served.client().post(uri + query, "{}")
            : served.client().send(method, uri + query);
        String body = method == HttpMethod.HEAD || response.body() == null ? "" : response.bodyAsString();
        String call = key.toUpperCase(java.util.Locale.ROOT) + " " + uri + query + " -> " + response.statusCode() + " " + body;
        if (body.startsWith("{\"error\":\"no route for ") || body.startsWith("{\"error\":\"Malformed request: ")
            || response.statusCode() == 405) {
          problems.add("reached no route: " + call);
        } else if (!operation.getJsonObject("responses").containsKey(String.valueOf(response.statusCode()))) {
          problems.add("undocumented status: " + call);
        }
      }
    }
    return problems;
  }

  /** The operation's required query parameters, each "x" (a wrong value still reaches the route). */
  private static String queryOf(JsonObject operation) {
    StringBuilder query = new StringBuilder();
    var parameters = operation.getJsonArray("parameters");
    if (parameters != null) {
      for (int i = 0; i < parameters.size(); i++) {
        JsonObject parameter = parameters.getJsonObject(i);
        if ("query".equals(parameter.getString("in")) && parameter.getBoolean("required", false)) {
          query.append(query.isEmpty() ? '?' : '&').append(parameter.getString("name")).append("=x");
        }
      }
    }
    return query.toString();
  }
}
