package dev.footprint.model.api;

import dev.footprint.core.ServiceContext;
import dev.footprint.core.http.Endpoints;
import dev.footprint.model.ServingException;
import dev.footprint.model.engine.InferenceTask;
import dev.footprint.model.repository.ModelRepository;
import dev.footprint.model.servable.ServableVersion;
import dev.footprint.model.servable.ServingSignature;
import dev.footprint.model.servable.TensorSpec;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * The Open Inference Protocol (KServe V2) on the same port, over the same models: health, server
 * and model metadata, model readiness, and inference with the model's {@code serving_default}
 * signature. A false health or readiness answer is a 400 with the body, as the protocol says
 * ("4xx indicates false"). One instance per event loop.
 */
public final class OpenInferenceApi {
  private static final String MODEL = "/v2/models/(?<model>[^/]+)(?:/versions/(?<version>[^/]+))?";
  public static final String PLATFORM = "tensorflow_savedmodel";

  private final ModelRepository repository;
  private final InferenceSubmitter submitter;
  private final InferRequestReader reader;
  private final ServiceContext context;

  private OpenInferenceApi(ModelRepository repository, InferenceSubmitter submitter, InferRequestReader reader,
                           ServiceContext context) {
    this.repository = repository;
    this.submitter = submitter;
    this.reader = reader;
    this.context = context;
  }

  public static void declare(Endpoints endpoints, ServiceContext context, ModelRepository repository,
                             InferenceSubmitter submitter, int maxInstances, int maxValues) {
    OpenInferenceApi api = new OpenInferenceApi(repository, submitter, new InferRequestReader(maxInstances, maxValues), context);
    endpoints
        .regex(MODEL + "/infer", "/v2/models/{model}/infer", r -> r.postAnyContentType(api::infer))
        .path("/v2/health/live", r -> r.get(api::live))
        .path("/v2/health/ready", r -> r.get(api::ready))
        .path("/v2", r -> r.get(api::server))
        .regex(MODEL + "/ready", "/v2/models/{model}/ready", r -> r.get(api::modelReady))
        .regex(MODEL, "/v2/models/{model}", r -> r.get(api::modelMetadata));
  }

  void live(RoutingContext ctx) {
    InferenceSubmitter.sendJson(ctx, "{\"live\":true}");
  }

  void ready(RoutingContext ctx) {
    boolean ready = context.readiness().isReady();
    ctx.response().setStatusCode(ready ? 200 : 400);
    InferenceSubmitter.sendJson(ctx, "{\"ready\":" + ready + "}");
  }

  void server(RoutingContext ctx) {
    InferenceSubmitter.sendJson(ctx, "{\"name\":\"" + context.serviceName() + "\",\"version\":\""
        + serverVersion() + "\",\"extensions\":[\"binary_tensor_data\"]}");
  }

  void modelReady(RoutingContext ctx) {
    String model = ctx.pathParam("model");
    if (!repository.isServed(model)) {
      InferenceSubmitter.sendError(ctx, ServingException.notFound("Model " + model + " is not served here"));
      return;
    }
    boolean ready;
    String version = ctx.pathParam("version");
    if (version == null) {
      ready = !repository.availableVersions(model).isEmpty();
    } else {
      ready = repository.availableVersions(model).stream().anyMatch(v -> v.toString().equals(version));
    }
    StringBuilder out = new StringBuilder("{\"name\":");
    JsonOut.string(out, model);
    ctx.response().setStatusCode(ready ? 200 : 400);
    InferenceSubmitter.sendJson(ctx, out.append(",\"ready\":").append(ready).append('}').toString());
  }

  void modelMetadata(RoutingContext ctx) {
    ServableVersion version;
    try {
      version = acquire(ctx);
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
      return;
    }
    try {
      ServingSignature signature = version.signature("serving_default");
      StringBuilder out = new StringBuilder(256).append("{\"name\":");
      JsonOut.string(out, version.model());
      out.append(",\"versions\":[");
      List<Long> versions = repository.availableVersions(version.model());
      for (int i = 0; i < versions.size(); i++) {
        out.append(i == 0 ? "" : ",").append('"').append(versions.get(i)).append('"');
      }
      out.append("],\"platform\":\"" + PLATFORM + "\",\"inputs\":");
      tensors(signature.inputs(), out);
      out.append(",\"outputs\":");
      tensors(signature.outputs(), out);
      InferenceSubmitter.sendJson(ctx, out.append('}').toString());
    } finally {
      version.release(1);
    }
  }

  void infer(RoutingContext ctx) {
    infer(ctx, RequestBody.bytes(ctx), ctx.request().getHeader(InferRequestReader.HEADER_LENGTH));
  }

  private void infer(RoutingContext ctx, byte[] body, String headerLength) {
    ServableVersion version;
    try {
      version = acquire(ctx);
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
      return;
    }
    boolean submitted = false;
    try {
      ServingSignature signature = version.signature("serving_default");
      InferRequestReader.Parsed parsed = reader.read(body, InferRequestReader.headerLength(headerLength, body.length), signature);
      String model = version.model();
      long number = version.version();
      InferenceTask.Listener listener = task -> {
        if (task.failed()) {
          InferenceSubmitter.sendFailure(ctx, task);
        } else {
          InferResponses.send(ctx, task, model, number, parsed);
        }
      };
      submitted = submitter.submit(ctx, version, signature, parsed.tensors(), listener);
    } catch (ServingException e) {
      InferenceSubmitter.sendError(ctx, e);
    } finally {
      if (!submitted) {
        version.release(1);
      }
    }
  }

  /** Versions are strings in V2: one that is no version's number (v1, 01) is a version not found, as 9 is. */
  private ServableVersion acquire(RoutingContext ctx) {
    return repository.acquire(ctx.pathParam("model"), ctx.pathParam("version"));
  }

  private static void tensors(List<TensorSpec> specs, StringBuilder out) {
    out.append('[');
    for (int i = 0; i < specs.size(); i++) {
      out.append(i == 0 ? "{\"name\":" : ",{\"name\":");
      JsonOut.string(out, specs.get(i).alias());
      out.append(",\"datatype\":\"FP32\",\"shape\":");
      JsonOut.dims(out, specs.get(i).dims());
      out.append('}');
    }
    out.append(']');
  }

  /** The server's version in the metadata APIs: the jar's, or "dev" from classes. */
  public static String serverVersion() {
    String version = OpenInferenceApi.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
