package dev.footprint.model.export;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Publishes a model version into a repository that a server polls: the SavedModel is written into a
 * hidden sibling folder and renamed into place in one step, so a polling server never sees a
 * half-written version.
 */
public final class VersionPublisher {
  @FunctionalInterface
  public interface Writer {
    void write(Path directory) throws IOException;
  }

  private VersionPublisher() {
  }

  /** The highest numeric version folder under {@code modelDir} plus one; 1 when there is none. */
  public static long nextVersion(Path modelDir) throws IOException {
    if (!Files.isDirectory(modelDir)) {
      return 1;
    }
    try (Stream<Path> children = Files.list(modelDir)) {
      return children.map(p -> p.getFileName().toString())
          .filter(name -> name.matches("\\d{1,18}"))
          .mapToLong(Long::parseLong)
          .max().orElse(0) + 1;
    }
  }

  public static Path publish(Path modelDir, long version, boolean replace, Writer writer) throws IOException {
    Files.createDirectories(modelDir);
    Path target = modelDir.resolve(Long.toString(version));
    if (Files.exists(target) && !replace) {
      throw new FileAlreadyExistsException(target + " (pass --replace to overwrite it)");
    }
    Path staging = modelDir.resolve("." + version + ".staging-" + ProcessHandle.current().pid());
    deleteRecursively(staging);
    writer.write(staging);
    if (Files.exists(target)) {
      Path old = modelDir.resolve("." + version + ".replaced-" + ProcessHandle.current().pid());
      Files.move(target, old);
      deleteRecursively(old);
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
    return target;
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
