package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Pod Security Standards, "restricted" profile (Kubernetes 1.30+), for every pod template of every
 * rendering: what the namespace label {@code pod-security.kubernetes.io/enforce: restricted} makes the
 * API server enforce, checked here before there is a server. No exception is needed today; one would
 * be listed here with its reason.
 */
class PodSecurityRestrictedTest {
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret");

  static List<Manifests.Rendered> renderings() {
    return Renderings.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyPodPassesTheRestrictedProfile(Manifests.Rendered rendered) {
    List<String> violations = new ArrayList<>();
    rendered.podTemplates().forEach((owner, template) -> check(owner, template, violations));
    assertThat(violations).as("restricted-profile violations in %s", rendered).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theNamespaceEnforcesTheRestrictedProfile(Manifests.Rendered rendered) {
    for (Namespace namespace : rendered.all(Namespace.class)) {
      assertThat(namespace.getMetadata().getLabels())
          .containsEntry("pod-security.kubernetes.io/enforce", "restricted")
          .containsEntry("pod-security.kubernetes.io/warn", "restricted");
    }
  }

  static void check(String owner, PodTemplateSpec template, List<String> violations) {
    PodSpec pod = template.getSpec();
    PodSecurityContext podSecurity = Objects.requireNonNullElse(pod.getSecurityContext(), new PodSecurityContext());
    // Baseline: no host namespaces, host paths or host ports.
    require(!Boolean.TRUE.equals(pod.getHostNetwork()), owner, "hostNetwork", violations);
    require(!Boolean.TRUE.equals(pod.getHostPID()), owner, "hostPID", violations);
    require(!Boolean.TRUE.equals(pod.getHostIPC()), owner, "hostIPC", violations);
    for (Volume volume : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
      String type = volumeType(volume);
      require(RESTRICTED_VOLUME_TYPES.contains(type), owner, "volume " + volume.getName() + " of type " + type, violations);
    }
    require(podSecurity.getSysctls() == null || podSecurity.getSysctls().isEmpty(), owner, "sysctls", violations);

    List<Container> containers = Stream.of(pod.getInitContainers(), pod.getContainers())
        .filter(Objects::nonNull).flatMap(List::stream).toList();
    for (Container container : containers) {
      String where = owner + " container " + container.getName();
      SecurityContext security = Objects.requireNonNullElse(container.getSecurityContext(), new SecurityContext());
      require(!Boolean.TRUE.equals(security.getPrivileged()), where, "privileged", violations);
      require(container.getPorts() == null || container.getPorts().stream().allMatch(p -> p.getHostPort() == null || p.getHostPort() == 0),
          where, "hostPort", violations);
      require(Boolean.FALSE.equals(security.getAllowPrivilegeEscalation()), where, "allowPrivilegeEscalation must be false", violations);
      require(Boolean.TRUE.equals(first(security.getRunAsNonRoot(), podSecurity.getRunAsNonRoot())), where,
          "runAsNonRoot must be true", violations);
      Long user = first(security.getRunAsUser(), podSecurity.getRunAsUser());
      require(user == null || user != 0, where, "runAsUser 0", violations);
      SeccompProfile seccomp = first(security.getSeccompProfile(), podSecurity.getSeccompProfile());
      require(seccomp != null && Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType()), where,
          "seccompProfile must be RuntimeDefault or Localhost", violations);
      Capabilities capabilities = security.getCapabilities();
      require(capabilities != null && capabilities.getDrop() != null && capabilities.getDrop().contains("ALL"), where,
          "capabilities must drop ALL", violations);
      require(capabilities == null || capabilities.getAdd() == null || Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd()),
          where, "capabilities may add only NET_BIND_SERVICE", violations);
      require(security.getProcMount() == null || "Default".equals(security.getProcMount()), where, "procMount", violations);
      require(security.getSeLinuxOptions() == null || security.getSeLinuxOptions().getUser() == null, where, "seLinuxOptions.user", violations);
    }
  }

  private static String volumeType(Volume volume) {
    Map<String, Object> fields = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().convertValue(volume, Map.class);
    return fields.keySet().stream().filter(key -> !key.equals("name")).findFirst().orElse("none");
  }

  private static <T> T first(T container, T pod) {
    return container != null ? container : pod;
  }

  private static void require(boolean ok, String where, String rule, List<String> violations) {
    if (!ok) {
      violations.add(where + ": " + rule);
    }
  }
}
