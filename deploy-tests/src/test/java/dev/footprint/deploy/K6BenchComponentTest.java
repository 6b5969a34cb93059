package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-cluster benchmark component (bench/kustomization.yaml, included as components/k6-bench): its
 * k6-operator TestRun, which fabric8 has no model for, is held to the CRD's fields (k6.io/v1alpha1, as in
 * grafana/k6-operator's api/v1alpha1/testrun_types.go) and to the restricted profile; its ConfigMaps hold
 * every script and every helper the scripts import.
 */
class K6BenchComponentTest {
  private static final Set<String> SPEC_FIELDS = Set.of("script", "parallelism", "separate", "arguments", "args", "ports",
      "initializer", "starter", "runner", "quiet", "paused", "scuttle", "cleanup", "testRunId", "token");
  private static final Set<String> POD_FIELDS = Set.of("disabled", "affinity", "automountServiceAccountToken", "env", "image",
      "imagePullSecrets", "imagePullPolicy", "metadata", "nodeSelector", "tolerations", "topologySpreadConstraints", "resources",
      "serviceAccountName", "securityContext", "containerSecurityContext", "envFrom", "readinessProbe", "livenessProbe",
      "initContainers", "volumes", "volumeMounts", "priorityClassName", "schedulerName");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Manifests.Rendered rendered = Manifests.renderComponent("components/k6-bench",
      Manifests.KUSTOMIZE.resolve("components/k6-bench"));

  @Test
  @SuppressWarnings("unchecked")
  void theTestRunUsesOnlyFieldsOfTheCrdAndScriptsThatExist() {
    GenericKubernetesResource testRun = testRun();
    Map<String, Object> spec = (Map<String, Object>) testRun.getAdditionalProperties().get("spec");
    assertThat(SPEC_FIELDS).containsAll(spec.keySet());
    for (String pod : List.of("initializer", "starter", "runner")) {
      assertThat(POD_FIELDS).as("fields of spec.%s", pod).containsAll(((Map<String, Object>) spec.get(pod)).keySet());
    }
    Map<String, Object> configMap = (Map<String, Object>) ((Map<String, Object>) spec.get("script")).get("configMap");
    assertThat(rendered.one(ConfigMap.class, (String) configMap.get("name")).getData()).containsKey((String) configMap.get("file"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyTestRunPodPassesTheRestrictedProfile() {
    Map<String, Object> spec = (Map<String, Object>) testRun().getAdditionalProperties().get("spec");
    List<String> violations = new ArrayList<>();
    for (String name : List.of("initializer", "starter", "runner")) {
      Map<String, Object> pod = (Map<String, Object>) spec.get(name);
      Container container = new Container();
      container.setName("k6");
      container.setSecurityContext(JSON.convertValue(pod.get("containerSecurityContext"), SecurityContext.class));
      PodSpec podSpec = new PodSpec();
      podSpec.setContainers(List.of(container));
      podSpec.setSecurityContext(JSON.convertValue(pod.get("securityContext"), PodSecurityContext.class));
      if (pod.get("volumes") != null) {
        podSpec.setVolumes(List.of(JSON.convertValue(pod.get("volumes"), Volume[].class)));
      }
      PodTemplateSpec template = new PodTemplateSpec();
      template.setSpec(podSpec);
      PodSecurityRestrictedTest.check("TestRun " + name, template, violations);
    }
    assertThat(violations).isEmpty();
  }

  @Test
  void theConfigMapsHoldEveryScriptAndHelper() throws IOException {
    Path bench = Manifests.ROOT.resolve("bench");
    assertThat(rendered.one(ConfigMap.class, "k6-scripts").getData().keySet())
        .containsExactlyInAnyOrderElementsOf(jsFiles(bench));
    assertThat(rendered.one(ConfigMap.class, "k6-lib").getData().keySet())
        .containsExactlyInAnyOrderElementsOf(jsFiles(bench.resolve("lib")));
  }

  private GenericKubernetesResource testRun() {
    return rendered.all(GenericKubernetesResource.class).stream()
        .filter(r -> r.getKind().equals("TestRun") && r.getApiVersion().equals("k6.io/v1alpha1"))
        .findFirst().orElseThrow(() -> new AssertionError("no k6.io/v1alpha1 TestRun"));
  }

  private static List<String> jsFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList();
    }
  }
}
