package dev.footprint.model.repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a version folder holds: each file's path, size and modification time. A new version is
 * loaded once two polls see the same fingerprint (a copy still in progress changes it), and a
 * version that failed to load is tried again only when its fingerprint changes.
 */
record Fingerprint(List<String> entries) {

  static Fingerprint of(Path folder) {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder)) {
      walk.filter(Files::isRegularFile).sorted().forEach(file -> {
        try {
          entries.add(folder.relativize(file) + ":" + Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis());
        } catch (IOException e) {
          entries.add(folder.relativize(file) + ":unreadable");
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      entries.add("unreadable:" + e.getMessage());
    }
    return new Fingerprint(List.copyOf(entries));
  }
}
