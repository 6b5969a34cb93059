package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own rules for a Deployment that runs well, beyond security: measured resources,
 * all three probes, a read-only root with a writable /tmp, no service-account token, a pinned image,
 * rollouts that never drop capacity, and an orderly stop.
 */
class ReliabilityPolicyTest {

  static List<Manifests.Rendered> renderings() {
    return Renderings.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyDeploymentFollowsTheRules(Manifests.Rendered rendered) {
    List<String> broken = new ArrayList<>();
    for (Deployment deployment : rendered.all(Deployment.class)) {
      String name = "Deployment/" + deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      rule(Boolean.FALSE.equals(pod.getAutomountServiceAccountToken()), name, "automountServiceAccountToken: false (no API access needed)", broken);
      rule(deployment.getSpec().getStrategy() != null && deployment.getSpec().getStrategy().getRollingUpdate() != null
          && deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal() == 0,
          name, "rolling updates with maxUnavailable 0", broken);
      for (Container container : pod.getContainers()) {
        String where = name + " container " + container.getName();
        var resources = container.getResources();
        rule(resources != null && resources.getRequests() != null && resources.getRequests().containsKey("cpu")
            && resources.getRequests().containsKey("memory"), where, "CPU and memory requests", broken);
        rule(resources != null && resources.getLimits() != null && resources.getLimits().containsKey("memory")
            && resources.getLimits().containsKey("cpu"), where, "CPU and memory limits", broken);
        rule(container.getStartupProbe() != null, where, "a startup probe", broken);
        rule(container.getReadinessProbe() != null, where, "a readiness probe", broken);
        rule(container.getLivenessProbe() != null, where, "a liveness probe", broken);
        rule(container.getSecurityContext() != null && Boolean.TRUE.equals(container.getSecurityContext().getReadOnlyRootFilesystem()),
            where, "readOnlyRootFilesystem", broken);
        rule(Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of()).stream()
            .anyMatch(m -> m.getMountPath().equals("/tmp")), where, "a writable /tmp (emptyDir) under the read-only root", broken);
        String image = container.getImage();
        rule(image.contains(":") && !image.endsWith(":latest"), where, "a pinned image tag, not latest: " + image, broken);
        rule("IfNotPresent".equals(container.getImagePullPolicy()), where, "imagePullPolicy IfNotPresent", broken);
        rule(container.getLifecycle() != null && container.getLifecycle().getPreStop() != null, where,
            "a preStop delay, so endpoints drop the pod before it stops accepting", broken);
        if (resources != null && resources.getRequests() != null && resources.getLimits() != null
            && resources.getRequests().get("memory") != null && resources.getLimits().get("memory") != null) {
          rule(resources.getRequests().get("memory").getNumericalAmount().compareTo(resources.getLimits().get("memory").getNumericalAmount()) <= 0,
              where, "memory request at most the limit", broken);
        }
      }
    }
    assertThat(broken).as("reliability rules broken in %s", rendered).isEmpty();
  }

  private static void rule(boolean ok, String where, String rule, List<String> broken) {
    if (!ok) {
      broken.add(where + ": needs " + rule);
    }
  }
}
