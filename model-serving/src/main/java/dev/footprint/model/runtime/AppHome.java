package dev.footprint.model.runtime;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder the service runs from: the one holding the runnable jar ({@code target/} for
 * {@code java -jar model-serving/target/model-serving.jar}), or the parent of the classes folder when
 * run from an IDE or the tests (also {@code target/}). The defaults for the model repository and the
 * native libraries are resolved against it, so they work from any working directory.
 */
public final class AppHome {
  private AppHome() {
  }

  public static Path resolve() {
    try {
      var source = AppHome.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return Path.of("").toAbsolutePath();
      }
      Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
      Path parent = location.getParent();
      if (Files.isDirectory(location)) {
        return parent == null ? location : parent;
      }
      return parent == null ? Path.of("").toAbsolutePath() : parent;
    } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
      return Path.of("").toAbsolutePath();
    }
  }
}
