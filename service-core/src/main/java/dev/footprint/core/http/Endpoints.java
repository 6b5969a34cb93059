package dev.footprint.core.http;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * How a service declares its endpoints. Each resource (a path or a path pattern) lists its methods;
 * any other method on it gets 405 with {@code Allow}. A GET is answered for HEAD too (RFC 9110,
 * 9.3.2: the same handler, the body dropped by Vert.x, its length kept by {@link HeadResponses}).
 * A method that takes a body gets the JSON content-type check and the body limit; then every
 * endpoint passes the load shedder, once its body is in, except the core's probes and scrape
 * ({@link Resource#getUnlimited}). The resource's name is the {@code route} label of the HTTP
 * metrics: a template, never a raw path.
 */
public final class Endpoints {
  private final Router router;
  private final Handler<RoutingContext> shedder;
  private final Handler<RoutingContext> bodyHandler;
  private final DirectPosts direct;

  /** {@code direct}: where {@link Resource#postJson} endpoints are also served past the router; null: nowhere. */
  public Endpoints(Router router, LoadShedder shedder, int maxBodyBytes, PendingBodies pendingBodies, DirectPosts direct) {
    this.router = router;
    this.shedder = shedder;
    this.bodyHandler = new BodyReader(maxBodyBytes, pendingBodies);
    this.direct = direct;
  }

  public Router router() {
    return router;
  }

  /** A resource at an exact path or a path with {@code :param} segments. */
  public Endpoints path(String path, Consumer<Resource> methods) {
    return declare(() -> router.route(path), path, path.contains(":") || path.contains("*") ? null : path, methods);
  }

  /** A resource matched by a regular expression; {@code name} is its template for metrics and logs. */
  public Endpoints regex(String regex, String name, Consumer<Resource> methods) {
    return declare(() -> router.routeWithRegex(regex), name, null, methods);
  }

  private Endpoints declare(Supplier<Route> route, String name, String exactPath, Consumer<Resource> methods) {
    Resource resource = new Resource(route, name, exactPath);
    methods.accept(resource);
    String allow = resource.allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", "));
    Handler<RoutingContext> otherMethods = resource.otherMethods != null ? resource.otherMethods : ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, allow);
      HttpErrors.send(ctx, 405, "method " + ctx.request().method() + " not allowed on " + name + ": use " + allow);
    };
    route.get().setName(name).handler(otherMethods);
    return this;
  }

  /** What a method reads: nothing, a JSON body, or a body of any content type. */
  public enum Body { NONE, JSON, ANY }

  /** The methods of one resource. */
  public final class Resource {
    private final Supplier<Route> route;
    private final String name;
    private final String exactPath;
    private final Set<HttpMethod> allowed = new LinkedHashSet<>();
    private Handler<RoutingContext> otherMethods;

    private Resource(Supplier<Route> route, String name, String exactPath) {
      this.route = route;
      this.name = name;
      this.exactPath = exactPath;
    }

    /** GET, and HEAD with it. */
    public Resource get(Handler<RoutingContext> handler) {
      return handle(HttpMethod.GET, Body.NONE, handler);
    }

    /** GET and HEAD outside the load shedder's limit: health probes and the metrics scrape answer under overload. */
    public Resource getUnlimited(Handler<RoutingContext> handler) {
      return handle(HttpMethod.GET, Body.NONE, false, handler);
    }

    /** POST with a JSON body (or none), limited to MAX_BODY_BYTES. */
    public Resource post(Handler<RoutingContext> handler) {
      return handle(HttpMethod.POST, Body.JSON, handler);
    }

    /**
     * POST with a JSON body, as {@link #post}, answered by {@code post}. At an exact path (no
     * {@code :param}) its plain requests are served past the router ({@link DirectPosts}), whatever
     * routes were declared before it; the rest through the router, by the same {@code post}.
     */
    public Resource postJson(JsonPost post) {
      handle(HttpMethod.POST, Body.JSON, ctx -> {
        Buffer body = ctx.body().buffer();
        String json = post.answer(body == null ? Buffer.buffer() : body);
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.JSON).end(json);
      });
      if (exactPath != null && direct != null) {
        direct.add(exactPath, post);
      }
      return this;
    }

    /**
     * POST with a body limited to MAX_BODY_BYTES whatever its Content-Type, for APIs whose clients
     * send none or a wrong one (TensorFlow Serving ignores it, and its documented {@code curl -d}
     * calls send a form type).
     */
    public Resource postAnyContentType(Handler<RoutingContext> handler) {
      return handle(HttpMethod.POST, Body.ANY, handler);
    }

    /**
     * What every method not declared here gets instead of 405 with {@code Allow}: for an API whose
     * own contract answers otherwise (TensorFlow Serving's 400 "Malformed request"). A resource may
     * declare nothing else, to catch what no resource before it matched.
     */
    public Resource otherMethods(Handler<RoutingContext> handler) {
      this.otherMethods = handler;
      return this;
    }

    /** {@code method} (GET: and HEAD) with {@code body}, behind the load shedder. */
    public Resource handle(HttpMethod method, Body body, Handler<RoutingContext> handler) {
      return handle(method, body, true, handler);
    }

    private Resource handle(HttpMethod method, Body body, boolean shed, Handler<RoutingContext> handler) {
      if (!allowed.add(method) || method == HttpMethod.GET && !allowed.add(HttpMethod.HEAD)) {
        throw new IllegalStateException(method + " declared twice on " + name);
      }
      Route r = route.get().method(method).setName(name);
      if (method == HttpMethod.GET) {
        r.method(HttpMethod.HEAD);
      }
      if (body == Body.JSON) {
        r.handler(JsonBodies.REQUIRE_JSON_CONTENT_TYPE);
      }
      if (body != Body.NONE) {
        r.handler(bodyHandler);
      }
      if (shed) {
        r.handler(shedder);
      }
      r.handler(handler);
      return this;
    }
  }
}
