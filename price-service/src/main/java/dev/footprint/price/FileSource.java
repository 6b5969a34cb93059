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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * A price list in a file. The path may be a symlink, as in a ConfigMap volume: it is resolved at
 * every read, and a change of the file it resolves to (the ConfigMap's {@code ..data} swap) is a
 * change. Reads run on the loader's worker thread, never on an event loop.
 *
 * <p>"Unchanged" is decided without reading: same real path, file key (inode), modification time and
 * size as the last read. The content's checksum then decides whether a read file is really new.
 */
final class FileSource implements PriceListSource {
  /** Quiet time after the last change event before reading: a writer may still be writing. */
  static final long SETTLE_MILLIS = 200;
  /** A directory that is never quiet (a log written next to the list) still gets looked at. */
  static final long MAX_SETTLE_MILLIS = 1_000;
  private static final int READ_ATTEMPTS = 3;

  private final Path path;
  private final int maxBytes;
  private final Vertx vertx;
  private final WorkerExecutor worker;
  // The pending look after change events, and when their burst began; guarded by this.
  private long settleTimer = -1;
  private long burstStart;
  private volatile Signature lastRead;
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

  private SourceContent read(boolean force) throws SourceException {
    for (int attempt = 1; ; attempt++) {
      try {
        return readOnce(force);
      } catch (NoSuchFileException | ChangedWhileReading e) {
        // A ConfigMap swap between resolving the link and reading it: the next attempt sees the new file.
        if (attempt == READ_ATTEMPTS) {
          throw new SourceException(e instanceof NoSuchFileException
              ? "file " + path + " not found" : "file " + path + " kept changing while it was read");
        }
      } catch (AccessDeniedException e) {
        throw new SourceException("file " + path + " is not readable: permission denied");
      } catch (IOException e) {
        throw new SourceException("file " + path + " could not be read: " + e);
      }
    }
  }

  private SourceContent readOnce(boolean force) throws IOException, SourceException {
    Path real = path.toRealPath();
    BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
    Signature signature = new Signature(real, attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    if (!force && signature.equals(lastRead)) {
      return new SourceContent.NotModified("same file, modification time and size");
    }
    if (!attributes.isRegularFile()) {
      throw new SourceException("file " + path + " is not a regular file" + (real.equals(path) ? "" : " (it resolves to " + real + ")"));
    }
    byte[] bytes = readFully(real);
    lastRead = signature;
    return new SourceContent.Content(bytes, real.toString());
  }

  private byte[] readFully(Path real) throws IOException, SourceException {
    try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > maxBytes) {
        throw SourceException.rejected("file " + path + " is " + size + " bytes: over the limit of " + maxBytes + " (PRICES_MAX_BYTES)");
      }
      byte[] bytes = new byte[(int) size];
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          throw new ChangedWhileReading();
        }
      }
      if (channel.read(ByteBuffer.allocate(1)) >= 0) {
        throw new ChangedWhileReading();
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

  /** What tells one file version from another without reading it. */
  private record Signature(Path realPath, Object fileKey, FileTime modified, long size) {
  }

  private static final class ChangedWhileReading extends IOException {
    ChangedWhileReading() {
      super("file changed while it was read", null);
    }
  }
}
