package dev.footprint.deploy;

import dev.footprint.core.ServiceLauncher;
import dev.footprint.core.ServiceSpec;
import dev.footprint.core.health.HealthEndpoints;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifests agree with each other and with the code: names, ports, paths, variables, images, sizes. */
class CrossReferenceTest {
  /** Variables the JVM or libc read rather than the service: allowed in a Deployment with this reason. */
  private static final Map<String, String> RUNTIME_VARIABLES = Map.of(
      "JAVA_TOOL_OPTIONS", "read by the JVM",
      "JDK_JAVA_OPTIONS", "read by the java launcher",
      "MALLOC_ARENA_MAX", "read by glibc's malloc");
  private static final Set<String> HEALTH_PATHS = Set.of(HealthEndpoints.LIVE_PATH, HealthEndpoints.READY_PATH);

  static List<Manifests.Rendered> renderings() {
    return Renderings.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyAutoscalerTargetsADeploymentThatLeavesReplicasToIt(Manifests.Rendered rendered) {
    for (HorizontalPodAutoscaler hpa : rendered.all(HorizontalPodAutoscaler.class)) {
      var target = hpa.getSpec().getScaleTargetRef();
      assertThat(target.getKind()).isEqualTo("Deployment");
      Deployment deployment = rendered.one(Deployment.class, target.getName());
      assertThat(deployment.getSpec().getReplicas()).as("%s sets replicas although an HPA owns them", target.getName()).isNull();
      assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
      assertThat(hpa.getSpec().getMetrics()).anySatisfy(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
      // The threshold is in cores, the base's in every rendering: an overlay's smaller request must
      // not make the HPA scale at a fraction of the load.
      var cpuTarget = hpa.getSpec().getMetrics().get(0).getResource().getTarget();
      assertThat(cpuTarget.getType()).as("%s's CPU target", hpa.getMetadata().getName()).isEqualTo("AverageValue");
      assertThat(cpuTarget.getAverageValue()).as("%s's CPU target", hpa.getMetadata().getName())
          .isEqualTo(Renderings.base().one(HorizontalPodAutoscaler.class, hpa.getMetadata().getName())
              .getSpec().getMetrics().get(0).getResource().getTarget().getAverageValue());
      // The JVM's start-up CPU spike must not scale the Deployment up by itself.
      assertThat(hpa.getSpec().getBehavior().getScaleUp().getStabilizationWindowSeconds()).isGreaterThanOrEqualTo(30);
      assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isGreaterThanOrEqualTo(120);
    }
    for (Deployment deployment : rendered.all(Deployment.class)) {
      assertThat(rendered.all(HorizontalPodAutoscaler.class))
          .as("an HPA for %s", deployment.getMetadata().getName())
          .anyMatch(hpa -> hpa.getSpec().getScaleTargetRef().getName().equals(deployment.getMetadata().getName()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void servicesSelectPodsAndNamePortsTheyHave(Manifests.Rendered rendered) {
    for (Service service : rendered.all(Service.class)) {
      List<Deployment> selected = selectedDeployments(rendered, service.getSpec().getSelector());
      assertThat(selected).as("pods selected by Service %s", service.getMetadata().getName()).isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        for (Deployment deployment : selected) {
          assertThat(containerPort(container(deployment), port.getTargetPort()))
              .as("Service %s targetPort %s", service.getMetadata().getName(), port.getTargetPort()).isNotNull();
        }
      }
    }
    for (PodDisruptionBudget pdb : rendered.all(PodDisruptionBudget.class)) {
      assertThat(selectedDeployments(rendered, pdb.getSpec().getSelector().getMatchLabels()))
          .as("pods selected by PodDisruptionBudget %s", pdb.getMetadata().getName()).isNotEmpty();
    }
  }

  /**
   * A pod's claim or ConfigMap is an object of the same rendering in the pod's namespace: a component's
   * object without one lands in whatever namespace kubectl's context has, and the pod stays Pending.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void podVolumesNameObjectsOfTheRenderingInThePodsNamespace(Manifests.Rendered rendered) {
    for (Deployment deployment : rendered.all(Deployment.class)) {
      String namespace = deployment.getMetadata().getNamespace();
      assertThat(namespace).as("Deployment %s's namespace", deployment.getMetadata().getName()).isNotNull();
      for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
        HasMetadata named = null;
        if (volume.getPersistentVolumeClaim() != null) {
          named = rendered.one(PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
        } else if (volume.getConfigMap() != null && !Boolean.TRUE.equals(volume.getConfigMap().getOptional())) {
          named = rendered.one(ConfigMap.class, volume.getConfigMap().getName());
        }
        if (named != null) {
          assertThat(named.getMetadata().getNamespace())
              .as("%s %s, volume %s of Deployment %s", named.getKind(), named.getMetadata().getName(), volume.getName(),
                  deployment.getMetadata().getName())
              .isEqualTo(namespace);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void serviceMonitorsScrapeMetricsFromPortsThatExist(Manifests.Rendered rendered) {
    for (ServiceMonitor monitor : rendered.all(ServiceMonitor.class)) {
      List<Service> services = rendered.all(Service.class).stream()
          .filter(s -> labelsMatch(monitor.getSpec().getSelector().getMatchLabels(), s.getMetadata().getLabels()))
          .toList();
      assertThat(services).as("Services selected by ServiceMonitor %s", monitor.getMetadata().getName())
          .hasSizeGreaterThanOrEqualTo(Services.BY_NAME.size());
      for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
        assertThat(endpoint.getPath()).isEqualTo("/metrics");
        for (Service service : services) {
          assertThat(service.getSpec().getPorts()).anyMatch(p -> endpoint.getPort().equals(p.getName()));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void containersMatchTheirServiceCode(Manifests.Rendered rendered) {
    for (Deployment deployment : rendered.all(Deployment.class)) {
      String name = deployment.getMetadata().getName();
      ServiceSpec spec = Services.BY_NAME.get(name);
      assertThat(spec).as("a service in the code for Deployment %s", name).isNotNull();
      Container container = container(deployment);

      assertThat(container.getImage()).as("the image Jib pushes for %s", name)
          .isEqualTo(System.getProperty("image.repository") + "/" + name + ":" + System.getProperty("image.tag"));

      Set<String> read = ServiceLauncher.variablesRead(spec);
      for (EnvVar env : container.getEnv()) {
        assertThat(read.contains(env.getName()) || RUNTIME_VARIABLES.containsKey(env.getName()))
            .as("%s sets %s, which %s never reads", name, env.getName(), name).isTrue();
      }

      Map<String, String> env = envValues(container);
      int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", String.valueOf(spec.defaultPort())));
      assertThat(container.getPorts()).extracting(ContainerPort::getContainerPort).contains(port);
      for (Probe probe : Stream.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())
          .filter(Objects::nonNull).toList()) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as("%s probes over HTTP", name).isNotNull();
        assertThat(HEALTH_PATHS).as("%s probes a path it serves", name).contains(get.getPath());
        assertThat(containerPort(container, get.getPort())).as("%s probe port", name).isEqualTo(port);
      }
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo(HealthEndpoints.READY_PATH);
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo(HealthEndpoints.LIVE_PATH);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void shutdownTimingsAndEventLoopsFitTheLimits(Manifests.Rendered rendered) {
    for (Deployment deployment : rendered.all(Deployment.class)) {
      String name = deployment.getMetadata().getName();
      Container container = container(deployment);
      Map<String, String> env = envValues(container);
      long preStop = container.getLifecycle().getPreStop().getSleep().getSeconds();
      long delay = Long.parseLong(env.getOrDefault("SHUTDOWN_DELAY_SECONDS", "0"));
      long grace = Long.parseLong(env.getOrDefault("SHUTDOWN_GRACE_SECONDS", "10"));
      // Kubernetes kills at terminationGracePeriodSeconds, counted from the start of preStop.
      assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
          .as("%s: terminationGracePeriodSeconds covers preStop %d s + delay %d s + grace %d s + 1 s to exit", name, preStop, delay, grace)
          .isGreaterThanOrEqualTo(preStop + delay + grace + 1);

      BigDecimal cpuLimit = container.getResources().getLimits().get("cpu").getNumericalAmount();
      assertThat(env).as("%s sets EVENT_LOOPS: a pod sees every CPU of its node", name).containsKey("EVENT_LOOPS");
      assertThat(new BigDecimal(env.get("EVENT_LOOPS"))).as("%s: no more event loops than CPUs in its limit", name)
          .isLessThanOrEqualTo(cpuLimit.setScale(0, java.math.RoundingMode.CEILING));
    }
  }

  @Test
  void memoryLimitsLeaveAQuarterAboveTheMeasuredPeak() throws IOException {
    Map<String, Object> measured = new KubernetesSerialization().unmarshal(
        Files.readString(Manifests.ROOT.resolve("k8s/measured-peaks.json")), Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Number> peaks = (Map<String, Number>) measured.get("peakBytes");
    Set<String> checked = new HashSet<>();
    for (Manifests.Rendered rendered : Renderings.applied()) {
      for (Deployment deployment : rendered.all(Deployment.class)) {
        String name = deployment.getMetadata().getName();
        assertThat(peaks).as("a measured peak for %s in k8s/measured-peaks.json", name).containsKey(name);
        Quantity limit = container(deployment).getResources().getLimits().get("memory");
        BigDecimal needed = BigDecimal.valueOf(peaks.get(name).longValue()).multiply(new BigDecimal("1.25"));
        assertThat(limit.getNumericalAmount()).as("%s in %s: memory limit %s against 1.25 x peak %s bytes", name, rendered, limit, peaks.get(name))
            .isGreaterThanOrEqualTo(needed);
        checked.add(name);
      }
    }
    assertThat(checked).containsAll(Services.BY_NAME.keySet());
  }

  @Test
  void theDeployedPriceListIsTheSampleTheServiceIsTestedWith() throws IOException {
    // kustomize reads only files under the kustomization's folder, so k8s/price-service holds a copy.
    assertThat(Files.readString(Manifests.ROOT.resolve("k8s/price-service/prices.txt")))
        .isEqualTo(Files.readString(Manifests.ROOT.resolve("price-service/prices.txt")));
    for (Manifests.Rendered rendered : Renderings.applied()) {
      Deployment deployment = rendered.one(Deployment.class, "price-service");
      String source = envValues(container(deployment)).get("PRICES_SOURCE");
      var mount = container(deployment).getVolumeMounts().stream()
          .filter(m -> source.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
      assertThat(mount.getSubPath()).as("a subPath mount never sees ConfigMap updates").isNull();
      var volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
          .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      ConfigMap prices = rendered.one(ConfigMap.class, volume.getConfigMap().getName());
      assertThat(prices.getData()).containsKey(source.substring(mount.getMountPath().length() + 1));
    }
  }

  static Container container(Deployment deployment) {
    List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, String> envValues(Container container) {
    Map<String, String> values = new java.util.HashMap<>();
    for (EnvVar env : container.getEnv()) {
      if (env.getValue() != null) {
        values.put(env.getName(), env.getValue());
      }
    }
    return values;
  }

  /** The number of a container port given by number or by name; null when the container has none such. */
  private static Integer containerPort(Container container, IntOrString port) {
    for (ContainerPort candidate : container.getPorts()) {
      if (port.getIntVal() != null ? port.getIntVal().equals(candidate.getContainerPort()) : port.getStrVal().equals(candidate.getName())) {
        return candidate.getContainerPort();
      }
    }
    return null;
  }

  private static List<Deployment> selectedDeployments(Manifests.Rendered rendered, Map<String, String> selector) {
    return rendered.all(Deployment.class).stream()
        .filter(d -> labelsMatch(selector, d.getSpec().getTemplate().getMetadata().getLabels()))
        .toList();
  }

  private static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
    return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
  }
}
