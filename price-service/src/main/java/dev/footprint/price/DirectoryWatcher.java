package dev.footprint.price;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Calls back on any change in one directory, from a daemon thread of its own (a WatchService blocks).
 * Watching the directory rather than the file is what sees a Kubernetes ConfigMap update: the kubelet
 * writes a new timestamped directory and renames a new {@code ..data} symlink over the old one, so the
 * file itself is never written. The callback only says "look again"; the source decides what changed.
 */
final class DirectoryWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DirectoryWatcher.class.getName());

  private final Path directory;
  private final WatchService service;
  private final Thread thread;

  private DirectoryWatcher(Path directory, WatchService service, Runnable onChange) {
    this.directory = directory;
    this.service = service;
    this.thread = Thread.ofPlatform().daemon().name("price-list-watcher").unstarted(() -> run(onChange));
  }

  /** Watches {@code directory}; null, after a warning, when it cannot be watched (polling still works). */
  static DirectoryWatcher start(Path directory, Runnable onChange) {
    WatchService service = null;
    try {
      service = directory.getFileSystem().newWatchService();
      directory.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);
      DirectoryWatcher watcher = new DirectoryWatcher(directory, service, onChange);
      watcher.thread.start();
      return watcher;
    } catch (IOException | UnsupportedOperationException e) {
      closeQuietly(service);
      LOG.warning(() -> "cannot watch " + directory + " (" + e + "): changes are seen by polling only (PRICES_POLL_SECONDS)");
      return null;
    }
  }

  private void run(Runnable onChange) {
    try {
      while (true) {
        WatchKey key = service.take();
        key.pollEvents();
        onChange.run();
        if (!key.reset()) {
          LOG.warning(() -> "stopped watching " + directory + ": it is gone; changes are seen by polling only");
          return;
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // Closed: the service is stopping.
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "watching " + directory + " failed: changes are seen by polling only", e);
    }
  }

  @Override
  public void close() {
    closeQuietly(service);
  }

  private static void closeQuietly(WatchService service) {
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (IOException ignored) {
      // Nothing left to release.
    }
  }
}
