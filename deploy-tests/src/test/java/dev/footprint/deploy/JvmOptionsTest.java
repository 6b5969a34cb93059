package dev.footprint.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

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

  /** A JVM that lost an event loop to an OutOfMemoryError goes on half alive: every flag set makes it exit instead. */
  @Test
  void everyFlagSetExitsOnOutOfMemory() throws IOException {
    for (Path file : flagSets()) {
      assertThat(Files.readAllLines(file)).as("%s", file).contains("-XX:+ExitOnOutOfMemoryError");
    }
  }

  /**
   * While MinRAMPercentage (default 50) of the memory is under 126 MiB, HotSpot sizes the heap by it and
   * ignores MaxRAMPercentage: a set that means a share of the limit must say it with both, equal.
   */
  @Test
  void aShareOfTheLimitAsHeapSetsBothRamPercentages() throws IOException {
    for (Path file : flagSets()) {
      List<String> lines = Files.readAllLines(file);
      String max = lines.stream().filter(line -> line.startsWith("-XX:MaxRAMPercentage=")).findFirst().orElse(null);
      String min = lines.stream().filter(line -> line.startsWith("-XX:MinRAMPercentage=")).findFirst().orElse(null);
      if (max != null || min != null) {
        assertThat(min == null ? null : min.substring(min.indexOf('=')))
            .as("%s: MinRAMPercentage beside %s", file, max).isEqualTo(max == null ? null : max.substring(max.indexOf('=')));
      }
    }
  }

  private static List<Path> flagSets() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String service : Services.BY_NAME.keySet()) {
      files.add(imageOptions(service));
    }
    try (Stream<Path> components = Files.list(Manifests.KUSTOMIZE.resolve("components"))) {
      components.map(component -> component.resolve("jvm.options")).filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void theJvmStartsWithEveryFlagSet() throws Exception {
    List<Path> files = flagSets();
    assertThat(files).hasSizeGreaterThan(Services.BY_NAME.size());
    for (Path file : files) {
      String output = run(60, JAVA, "@" + file, "-version");
      assertThat(output).as("java @%s -version", file).doesNotContainIgnoringCase("warning").doesNotContain("Unrecognized");
    }
  }

  /**
   * A released image starts from an AOT cache trained with its own flags (scripts/lab.sh); a component's
   * flags replace those, and the JVM refuses a cache whose recorded settings differ, with an error at
   * every start. So a component's flags must either fit the cache of each image it is mounted in, or turn
   * the cache off. Checked with a cache this JDK trains from each image's flags.
   */
  @Test
  void everyComponentEitherFitsTheImagesAotCacheOrTurnsItOff(@TempDir Path caches) throws Exception {
    int checked = 0;
    for (Map.Entry<String, Path> component : Manifests.components().entrySet()) {
      Path options = component.getValue().resolve("jvm.options");
      if (!Files.isRegularFile(options)) {
        continue;
      }
      for (String service : mountedIn(component.getKey(), component.getValue())) {
        Path cache = caches.resolve(service + ".aot");
        if (!Files.exists(cache)) {
          String training = run(120, JAVA, "@" + imageOptions(service), "-XX:AOTCacheOutput=" + cache, "-version");
          assertThat(cache).as("an AOT cache from %s's flags:%n%s", service, training).isRegularFile();
        }
        String output = run(60, JAVA, "@" + options, "-XX:AOTCache=" + cache, "-version");
        assertThat(output).as("%s's flags with %s's AOT cache", component.getKey(), service)
            .doesNotContainIgnoringCase("warning").doesNotContainIgnoringCase("error");
        checked++;
      }
    }
    assertThat(checked).as("component and image pairs checked").isPositive();
  }

  /** The Deployments whose flags file the component replaces. */
  private static List<String> mountedIn(String name, Path component) {
    List<String> services = new ArrayList<>();
    for (Deployment deployment : Manifests.renderComponent(name, component).all(Deployment.class)) {
      boolean mounted = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
          .anyMatch(mount -> IMAGE_OPTIONS.equals(mount.getMountPath()));
      if (mounted) {
        services.add(deployment.getMetadata().getName());
      }
    }
    return services;
  }

  /** Runs a command to its end (within {@code seconds}) and returns what it printed; it must exit 0. */
  private static String run(int seconds, String... command) throws Exception {
    // Into a file, not a pipe: the wait is then bounded, and a chatty JVM cannot fill a pipe and stall.
    Path log = Files.createTempFile("jvm-options", ".log");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("%s finished", String.join(" ", command)).isTrue();
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
      return output;
    } finally {
      Files.deleteIfExists(log);
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
