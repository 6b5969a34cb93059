package dev.footprint.model.api;

import dev.footprint.core.http.Endpoints;
import dev.footprint.model.ServingException;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.servable.ServableVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * TensorFlow Serving's REST API (api_rest.md), with its paths, bodies, status codes and messages:
 * <ul>
 *   <li>{@code POST /v1/models/{name}[/versions/{v}|/labels/{l}]:predict}</li>
 *   <li>{@code GET  /v1/models/{name}[/versions/{v}|/labels/{l}]} (status)</li>
 *   <li>{@code GET  /v1/models/{name}[/versions/{v}|/labels/{l}]/metadata}</li>
 * </ul>
 * The paths are matched as its handler's regular expressions match them (http_rest_api_util.cc):
 * case-insensitively, but the method ({@code :predict}) and the {@code metadata} subresource are
 * then compared as written, so {@code :PREDICT} is malformed and {@code /METADATA} is a status
 * request; the model name is optional in a GET ({@code GET /v1/models}: "Missing model name in
 * request."). Anything else under {@code /v1/}, whatever its method, is its 400 "Malformed request:
 * METHOD PATH"; HEAD on a GET route is answered as GET (RFC 9110), where TensorFlow Serving says
 * malformed. One instance per event loop.
 */
public final class TfServingApi {
  private static final String VERSION = "(?:/versions/(?<version>\\d+)|/labels/(?<label>[^/:]+))?";
  static final String PREDICT = "(?i)/v1/models/(?<model>[^/:]+)" + VERSION + ":(?-i:predict)";
  static final String CLASSIFY_REGRESS = "(?i)/v1/models/(?<model>[^/:]+)" + VERSION + ":(?<method>(?-i:classify|regress))";
  // "/v1/models/metadata" is the status of a model named "metadata", as TensorFlow Serving's greedy match reads it.
  static final String METADATA = "(?i)(?!/v1/models/metadata$)/v1/models(?:/(?<model>[^/:]+))?" + VERSION + "/(?-i:metadata)";
  static final String STATUS = "(?i)/v1/models(?:/(?<model>[^/:]+))?" + VERSION + "(?:/metadata)?";
  static final String ANY = "(?i)/v1/.*";

  private final ModelRepository repository;
  private final InferenceSubmitter submitter;
  private final PredictRequestReader reader;


  TfServingApi(ModelRepository repository, InferenceSubmitter submitter, PredictRequestReader reader) {
    this.repository = repository;
    this.submitter = submitter;
    this.reader = reader;
  }

  public static void declare(Endpoints endpoints, ModelRepository repository, InferenceSubmitter submitter,
                             int maxInstances, int maxValues) {
    TfServingApi api = new TfServingApi(repository, submitter, new PredictRequestReader(maxInstances, maxValues));
    // The predict route first: routes are tried in order, and it is the one under load.
    endpoints
        .regex(PREDICT, "/v1/models/{model}:predict", r -> r.postAnyContentType(api::predict).otherMethods(TfServingApi::malformed))
        .regex(CLASSIFY_REGRESS, "/v1/models/{model}:classify|regress",
            r -> r.postAnyContentType(api::classifyOrRegress).otherMethods(TfServingApi::malformed))
        .regex(METADATA, "/v1/models/{model}/metadata", r -> r.get(api::metadata).otherMethods(TfServingApi::malformed))
        .regex(STATUS, "/v1/models/{model}", r -> r.get(api::status).otherMethods(TfServingApi::malformed))
        .regex(ANY, "/v1/*", r -> r.otherMethods(TfServingApi::malformed));
  }

  /** TensorFlow Serving's answer to any request under /v1/ that none of its routes parses. */
  static void malformed(RoutingContext ctx) {
    InferenceSubmitter.sendError(ctx, ServingException.invalid(
        "Malformed request: " + ctx.request().method().name() + " " + ctx.request().path()));
  }

  void predict(RoutingContext ctx) {
    predict(ctx, RequestBody.bytes(ctx));
  }

  private void predict(RoutingContext ctx, byte[] body) {
    ServableVersion version;
    try {
      version = repository.acquire(ctx.pathParam("model"), version(ctx), ctx.pathParam("label"));
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
      return;
    }
    boolean submitted = false;
    try {
      PredictRequestReader.Parsed parsed = reader.read(body, version);
      InferenceTask.Listener listener = task -> {
        if (task.failed()) {
          InferenceSubmitter.sendFailure(ctx, task);
          return;
        }
        try {
          InferenceSubmitter.sendJson(ctx, PredictResponses.write(task, parsed.format(), parsed.tensors().scalar()));
        } catch (ServingException e) {
          InferenceSubmitter.sendError(ctx, e);
        }
      };
      submitted = submitter.submit(ctx, version, parsed.signature(), parsed.tensors(), listener);
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
    } finally {
      if (!submitted) {
        version.release(1);
      }
    }
  }

  /** The body is read first, as TensorFlow Serving reads it before it looks the model up. */
  void classifyOrRegress(RoutingContext ctx) {
    ServableVersion version;
    try {
      String signatureName = ClassifyRegress.readSignatureName(RequestBody.bytes(ctx));
      version = repository.acquire(ctx.pathParam("model"), version(ctx), ctx.pathParam("label"));
      try {
        throw ClassifyRegress.of(ctx.pathParam("method")).refusal(version, signatureName);
      } finally {
        version.release(1);
      }
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
    }
  }

  void status(RoutingContext ctx) {
    try {
      Long version = version(ctx);
      InferenceSubmitter.sendJson(ctx, ModelInfoJson.status(
          repository.status(model(ctx), version, ctx.pathParam("label"))));
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
    }
  }

  void metadata(RoutingContext ctx) {
    ServableVersion version;
    try {
      Long wanted = version(ctx);
      version = repository.acquire(model(ctx), wanted, ctx.pathParam("label"));
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
      return;
    }
    try {
      InferenceSubmitter.sendJson(ctx, ModelInfoJson.metadata(version));
    } finally {
      version.release(1);
    }
  }

  /** The model named in a GET's path; TensorFlow Serving lists no models (nor does its gRPC API). */
  private static String model(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    if (model == null || model.isEmpty()) {
      throw ServingException.invalid("Missing model name in request.");
    }
    return model;
  }

  static Long version(RoutingContext ctx) {
    String text = ctx.pathParam("version");
    if (text == null) {
      return null;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ServingException.invalid("Failed to convert version: " + text + " to numeric.");
    }
  }
}
