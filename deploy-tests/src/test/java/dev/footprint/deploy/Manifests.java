package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The manifests as a cluster would get them: each kustomization rendered by {@code kubectl kustomize}
 * (the same kustomize that {@code kubectl apply -k} runs) and read into fabric8's typed model.
 */
final class Manifests {
  static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  static final Path KUSTOMIZE = ROOT.resolve("kustomize");
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

  private Manifests() {
  }

  /** What users apply: the base and every overlay. */
  static Map<String, Path> kustomizations() {
    Map<String, Path> all = new LinkedHashMap<>();
    all.put("base", KUSTOMIZE.resolve("base"));
    try (Stream<Path> overlays = Files.list(KUSTOMIZE.resolve("overlays"))) {
      overlays.sorted().forEach(overlay -> all.put("overlays/" + overlay.getFileName(), overlay));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return all;
  }

  /** Every component, each rendered on top of the base as an overlay would include it. */
  static Map<String, Path> components() {
    Map<String, Path> all = new LinkedHashMap<>();
    try (Stream<Path> components = Files.list(KUSTOMIZE.resolve("components"))) {
      components.sorted().forEach(component -> all.put("components/" + component.getFileName(), component));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return all;
  }

  static Rendered render(String name, Path kustomization) {
    return CACHE.computeIfAbsent(name, n -> new Rendered(n, parse(kustomize(kustomization))));
  }

  /** The base with one component, through a throw-away overlay. */
  static Rendered renderComponent(String name, Path component) {
    return CACHE.computeIfAbsent(name, n -> {
      try {
        Path overlay = Files.createTempDirectory("footprint-component");
        Files.writeString(overlay.resolve("kustomization.yaml"), """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
              - %s
            components:
              - %s
            """.formatted(overlay.relativize(KUSTOMIZE.resolve("base")), overlay.relativize(component)));
        try {
          return new Rendered(n, parse(kustomize(overlay)));
        } finally {
          Files.delete(overlay.resolve("kustomization.yaml"));
          Files.delete(overlay);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static String kustomize(Path kustomization) {
    try {
      Process process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
          .redirectErrorStream(true)
          .start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + kustomization + " failed:\n" + new String(output, StandardCharsets.UTF_8));
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("kubectl is needed to render the manifests (it has kustomize built in)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    List<KubernetesResource> resources = parsed instanceof List<?> list ? (List<KubernetesResource>) list : List.of((KubernetesResource) parsed);
    List<HasMetadata> objects = new ArrayList<>();
    for (KubernetesResource resource : resources) {
      objects.add((HasMetadata) resource);
    }
    return objects;
  }

  /** One rendered kustomization. */
  record Rendered(String name, List<HasMetadata> objects) {

    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String objectName) {
      return all(type).stream()
          .filter(o -> o.getMetadata().getName().equals(objectName))
          .findFirst()
          .orElseThrow(() -> new AssertionError(name + " has no " + type.getSimpleName() + " " + objectName));
    }

    /** Every pod template, named by the object that holds it. */
    Map<String, PodTemplateSpec> podTemplates() {
      Map<String, PodTemplateSpec> templates = new LinkedHashMap<>();
      all(Deployment.class).forEach(d -> templates.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
      all(Job.class).forEach(j -> templates.put("Job/" + j.getMetadata().getName(), j.getSpec().getTemplate()));
      all(CronJob.class).forEach(c -> templates.put("CronJob/" + c.getMetadata().getName(),
          c.getSpec().getJobTemplate().getSpec().getTemplate()));
      return templates;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
