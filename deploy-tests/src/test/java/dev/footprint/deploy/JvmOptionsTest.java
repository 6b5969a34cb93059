package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM flag sets: the images' own (src/main/jib/etc/footprint/jvm.options) and the Kustomize components'
 * that replace them. A JVM refuses to start on a misspelt or retired flag, so each set is given to this
 * build's JDK, which must start with it; and a component's ConfigMap must land exactly where the image's
 * java reads its flags, or the pod would silently run the image's own.
 */
class JvmOptionsTest {
  static final String IMAGE_OPTIONS = "/etc/footprint/jvm.options";

  /** The file Jib copies to the image's /etc/footprint/jvm.options. */
  static Path imageOptions(String service) {
    return Manifests.ROOT.resolve(service).resolve("src/main/jib" + IMAGE_OPTIONS);
  }

  @Test
  void everyImageReadsItsFlagsFromTheOptionsFile() throws IOException {
    for (String service : Services.BY_NAME.keySet()) {
      assertThat(Files.readString(Manifests.ROOT.resolve(service).resolve("pom.xml")))
          .as("%s's Jib jvmFlags", service).contains("<jvmFlag>@" + IMAGE_OPTIONS + "</jvmFlag>");
      assertThat(imageOptions(service)).isRegularFile();
    }
  }

  @Test
  void theJvmStartsWithEveryFlagSet() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String service : Services.BY_NAME.keySet()) {
      files.add(imageOptions(service));
    }
    try (Stream<Path> components = Files.list(Manifests.KUSTOMIZE.resolve("components"))) {
      components.map(component -> component.resolve("jvm.options")).filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    assertThat(files).hasSizeGreaterThan(Services.BY_NAME.size());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (Path file : files) {
      Process process = new ProcessBuilder(java, "@" + file, "-version").redirectErrorStream(true).start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("java @%s -version finished", file).isTrue();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("java @%s -version:%n%s", file, output).isZero();
      assertThat(output).as("java @%s -version", file).doesNotContainIgnoringCase("warning").doesNotContain("Unrecognized");
    }
  }

  @Test
  void aComponentsFlagsReplaceTheImagesWholeFile() {
    int mounted = 0;
    for (Map.Entry<String, Path> component : Manifests.components().entrySet()) {
      if (!Files.isRegularFile(component.getValue().resolve("jvm.options"))) {
        continue;
      }
      Manifests.Rendered rendered = Manifests.renderComponent(component.getKey(), component.getValue());
      for (Deployment deployment : rendered.all(Deployment.class)) {
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (VolumeMount mount : container.getVolumeMounts()) {
          if (!"jvm-options".equals(mount.getName())) {
            continue;
          }
          mounted++;
          assertThat(mount.getMountPath()).isEqualTo(IMAGE_OPTIONS);
          assertThat(mount.getSubPath()).isEqualTo("jvm.options");
          Volume volume = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
          ConfigMap options = rendered.one(ConfigMap.class, volume.getConfigMap().getName());
          assertThat(options.getData()).as("%s in %s", volume.getConfigMap().getName(), component.getKey())
              .containsKey("jvm.options");
          assertThat(options.getData().get("jvm.options")).as("%s: the flags that silence JDK 25's native access warnings",
              component.getKey()).contains("--enable-native-access=ALL-UNNAMED");
        }
      }
    }
    assertThat(mounted).as("deployments whose flags a component replaces").isPositive();
  }
}
