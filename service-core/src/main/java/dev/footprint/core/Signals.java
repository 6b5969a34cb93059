package dev.footprint.core;

/**
 * SIGTERM and SIGINT handling through {@code sun.misc.Signal} (module jdk.unsupported): the JVM's
 * default handler would run shutdown hooks and exit 143; a service that drained cleanly should exit 0.
 */
final class Signals {
  private Signals() {
  }

  /** Runs {@code action} on SIGTERM and SIGINT; false when signals cannot be handled here. */
  static boolean onTermination(Runnable action) {
    try {
      sun.misc.SignalHandler handler = signal -> action.run();
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
      return true;
    } catch (LinkageError | IllegalArgumentException e) {
      return false;
    }
  }
}
