package dev.footprint.price;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What tells one state of a file from another without reading it: the real path (a ConfigMap's
 * symlink swap changes it), the file key (inode), size, modification time and inode change time.
 * The last is what a rewrite that keeps size and modification time ({@code cp -p}, {@code rsync -t
 * --inplace}) cannot hide: the kernel sets it on every change, and no writer can set it back. It is
 * read as {@code unix:ctime}, which Linux JDKs have; where it is missing it is null, and no two
 * snapshots prove a file unchanged.
 *
 * @param changed the inode change time, or null where the file system does not say
 */
record FileSnapshot(Path realPath, Object fileKey, boolean regularFile, long size, FileTime modified, FileTime changed) {

  static FileSnapshot of(Path path) throws IOException {
    Path real = path.toRealPath();
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    return new FileSnapshot(real, attributes.fileKey(), attributes.isRegularFile(), attributes.size(),
        attributes.lastModifiedTime(), inodeChangeTime(real));
  }

  private static FileTime inodeChangeTime(Path real) throws IOException {
    try {
      return (FileTime) Files.getAttribute(real, "unix:ctime");
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether this is provably the file {@code earlier} saw, unchanged since: never without an inode change time. */
  boolean provesUnchangedSince(FileSnapshot earlier) {
    return changed != null && equals(earlier);
  }

  /**
   * For how long, by the file's own times, nothing has changed it; 0 when that cannot be told (no
   * inode change time: a modification time can be set back, so it proves nothing).
   */
  long quietMillis() {
    if (changed == null) {
      return 0;
    }
    long last = Math.max(changed.toMillis(), modified.toMillis());
    return Math.max(0, System.currentTimeMillis() - last);
  }
}
