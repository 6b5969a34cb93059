package dev.footprint.price;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A price list in a file. The path may be a symlink, as in a ConfigMap volume: it is resolved at
 * every read, and a change of the file it resolves to (the ConfigMap's {@code ..data} swap) is a
 * change. Reads run on the loader's worker thread, never on an event loop.
 *
 * <p>A file is read only once it is stable: unchanged for {@value #SETTLE_MILLIS} ms, and unchanged
 * from before to after the read ({@link FileSnapshot}: real path, inode, size, modification and
 * inode change times). A list caught mid-write (a {@code cp} or an editor writing in place) is
 * never parsed: the read waits for the writer to finish, or, after
 * {@value #MAX_STABLE_WAIT_MILLIS} ms of changes, fails and is tried again at the next change or
 * poll. "Unchanged since the last read" is decided without reading when the inode change time is
 * known (a rewrite that keeps size and modification time, {@code cp -p} or {@code rsync -t
 * --inplace}, still changes it); where it is not, every check reads the file and its checksum
 * decides.
 */
final class FileSource implements PriceListSource {
  /** Quiet time a file must show before it is read: a writer may still be writing. */
  static final long SETTLE_MILLIS = 200;
  /** A directory that is never quiet (a log written next to the list) still gets looked at. */
  static final long MAX_SETTLE_MILLIS = 1_000;
  /** How long a read waits for a file that keeps changing before it gives up until the next change or poll. */
  static final long MAX_STABLE_WAIT_MILLIS = 5_000;
  private static final int VANISHED_ATTEMPTS = 3;

  private final Path path;
  private final int maxBytes;
  private final Vertx vertx;
  private final WorkerExecutor worker;
  // The pending look after change events, and when their burst began; guarded by this.
  private long settleTimer = -1;
  private long burstStart;
  private volatile FileSnapshot lastRead;
  private volatile DirectoryWatcher watcher;

  FileSource(Path path, int maxBytes, Vertx vertx, WorkerExecutor worker) {
    this.path = path.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
    this.vertx = vertx;
    this.worker = worker;
  }

  @Override
  public String describe() {
    return path.toString();
  }

  @Override
  public Future<SourceContent> fetch(boolean force) {
    return worker.executeBlocking(() -> read(force), false);
  }

  private SourceContent read(boolean force) throws SourceException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_STABLE_WAIT_MILLIS);
    int vanished = 0;
    while (true) {
      try {
        SourceContent content = readWhenStable(force, deadline);
        if (content != null) {
          return content;
        }
      } catch (NoSuchFileException e) {
        // A ConfigMap swap between resolving the link and reading it: the next attempt sees the new file.
        if (++vanished == VANISHED_ATTEMPTS) {
          throw new SourceException("file " + path + " not found");
        }
      } catch (AccessDeniedException e) {
        throw new SourceException("file " + path + " is not readable: permission denied");
      } catch (IOException e) {
        throw new SourceException("file " + path + " could not be read: " + e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw keptChanging();
      }
    }
  }

  /** The list once the file is stable; null when it changed while it was read (the caller looks again). */
  private SourceContent readWhenStable(boolean force, long deadline)
      throws IOException, SourceException, InterruptedException {
    FileSnapshot before = FileSnapshot.of(path);
    if (!force && before.provesUnchangedSince(lastRead)) {
      return new SourceContent.NotModified("same file, size, modification and inode change times");
    }
    checkReadable(before);
    FileSnapshot stable = awaitStable(before, deadline);
    checkReadable(stable);
    byte[] bytes = readFully(stable.realPath());
    if (!FileSnapshot.of(path).equals(stable)) {
      return null;
    }
    lastRead = stable;
    return new SourceContent.Content(bytes, stable.realPath().toString());
  }

  private void checkReadable(FileSnapshot snapshot) throws SourceException {
    if (!snapshot.regularFile()) {
      throw new SourceException("file " + path + " is not a regular file"
          + (snapshot.realPath().equals(path) ? "" : " (it resolves to " + snapshot.realPath() + ")"));
    }
    if (snapshot.size() > maxBytes) {
      throw SourceException.rejected("file " + path + " is " + snapshot.size() + " bytes: over the limit of " + maxBytes + " (PRICES_MAX_BYTES)");
    }
  }

  /**
   * {@code snapshot} once the file has been quiet for {@value #SETTLE_MILLIS} ms: at once when its
   * inode change time is that old already (a file written long ago, or one whose change events the
   * watch already waited out), else after a sleep that shows it unchanged.
   */
  private FileSnapshot awaitStable(FileSnapshot snapshot, long deadline) throws IOException, SourceException, InterruptedException {
    FileSnapshot current = snapshot;
    while (true) {
      long quiet = Math.min(current.quietMillis(), SETTLE_MILLIS);
      if (quiet >= SETTLE_MILLIS) {
        return current;
      }
      if (System.nanoTime() - deadline > 0) {
        throw keptChanging();
      }
      Thread.sleep(SETTLE_MILLIS - quiet);
      FileSnapshot again = FileSnapshot.of(path);
      if (again.equals(current)) {
        return current;
      }
      current = again;
    }
  }

  private SourceException keptChanging() {
    return new SourceException("file " + path + " kept changing for " + MAX_STABLE_WAIT_MILLIS
        + " ms: not read while it is being written; tried again at the next change or poll");
  }

  private byte[] readFully(Path real) throws IOException, SourceException {
    try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > maxBytes) {
        throw SourceException.rejected("file " + path + " is " + size + " bytes: over the limit of " + maxBytes + " (PRICES_MAX_BYTES)");
      }
      HeapHeadroom.reserve(size, "reading " + path);
      byte[] bytes = new byte[(int) size];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          // Shorter than it was a moment ago: the snapshot after the read tells, and the caller looks again.
          return Arrays.copyOf(bytes, buffer.position());
        }
      }
      return bytes;
    }
  }

  /**
   * Watches the directory that holds the configured path (where a ConfigMap swaps {@code ..data}),
   * and calls {@code onChange} once events have been quiet for {@value #SETTLE_MILLIS} ms, or at
   * the latest {@value #MAX_SETTLE_MILLIS} ms after the first, should the directory never be quiet.
   */
  @Override
  public void watch(Runnable onChange) {
    Path directory = path.getParent();
    if (directory != null) {
      watcher = DirectoryWatcher.start(directory, () -> changed(onChange));
    }
  }

  private synchronized void changed(Runnable onChange) {
    long now = System.nanoTime();
    if (settleTimer >= 0) {
      if (now - burstStart > TimeUnit.MILLISECONDS.toNanos(MAX_SETTLE_MILLIS)) {
        return;
      }
      vertx.cancelTimer(settleTimer);
    } else {
      burstStart = now;
    }
    settleTimer = vertx.setTimer(SETTLE_MILLIS, id -> settled(id, onChange));
  }

  private void settled(long timer, Runnable onChange) {
    synchronized (this) {
      if (settleTimer != timer) {
        return;
      }
      settleTimer = -1;
    }
    onChange.run();
  }

  @Override
  public Future<Void> close() {
    DirectoryWatcher current = watcher;
    if (current != null) {
      current.close();
    }
    synchronized (this) {
      if (settleTimer >= 0) {
        vertx.cancelTimer(settleTimer);
        settleTimer = -1;
      }
    }
    return Future.succeededFuture();
  }
}
