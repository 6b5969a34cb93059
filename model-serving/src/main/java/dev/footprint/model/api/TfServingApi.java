package dev.footprint.model.api;

import dev.footprint.core.http.Endpoints;
import dev.footprint.model.ServingException;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.servable.ServableVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * TensorFlow Serving's REST API (api_rest.md), with its paths (matched case-insensitively, as its
 * regular expressions are), bodies, status codes and messages:
 * <ul>
 *   <li>{@code POST /v1/models/{name}[/versions/{v}|/labels/{l}]:predict}</li>
 *   <li>{@code GET  /v1/models/{name}[/versions/{v}|/labels/{l}]} (status)</li>
 *   <li>{@code GET  /v1/models/{name}[/versions/{v}|/labels/{l}]/metadata}</li>
 * </ul>
 * One instance per event loop.
 */
public final class TfServingApi {
  private static final String MODEL = "(?<model>[^/:]+)(?:/versions/(?<version>\\d+)|/labels/(?<label>[^/:]+))?";
  static final String PREDICT = "(?i)/v1/models/" + MODEL + ":predict";
  static final String CLASSIFY_REGRESS = "(?i)/v1/models/" + MODEL + ":(?<method>classify|regress)";
  static final String STATUS = "(?i)/v1/models/" + MODEL;
  static final String METADATA = "(?i)/v1/models/" + MODEL + "/metadata";

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
        .regex(PREDICT, "/v1/models/{model}:predict", r -> r.postAnyContentType(api::predict))
        .regex(CLASSIFY_REGRESS, "/v1/models/{model}:classify|regress", r -> r.postAnyContentType(api::classifyOrRegress))
        .regex(METADATA, "/v1/models/{model}/metadata", r -> r.get(api::metadata))
        .regex(STATUS, "/v1/models/{model}", r -> r.get(api::status));
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

  void classifyOrRegress(RoutingContext ctx) {
    InferenceSubmitter.sendError(ctx, new ServingException(501, "the " + ctx.pathParam("method")
        + " API is not supported by this server (it serves tensorflow/serving/predict signatures): use :predict"));
  }

  void status(RoutingContext ctx) {
    try {
      InferenceSubmitter.sendJson(ctx, ModelInfoJson.status(
          repository.status(ctx.pathParam("model"), version(ctx), ctx.pathParam("label"))));
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
    }
  }

  void metadata(RoutingContext ctx) {
    ServableVersion version;
    try {
      version = repository.acquire(ctx.pathParam("model"), version(ctx), ctx.pathParam("label"));
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
