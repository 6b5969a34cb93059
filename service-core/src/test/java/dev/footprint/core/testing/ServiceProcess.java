package dev.footprint.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's runnable jar started as its own process with the JVM running the tests, as a user
 * would start it: {@code java -jar}. Waits for the ready log line and reads the port from it.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile(" ready port=(\\d+) .*startup_ms=(\\d+)");

  private final Process process;
  private final Thread reader;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private volatile int port = -1;
  private volatile long startupMillis = -1;

  private ServiceProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readOutput, "service-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The jar named by system property {@code service.jar} (set by the failsafe plugin). */
  public static Path jarFromSystemProperty() {
    String jar = System.getProperty("service.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("system property service.jar must name the built jar, got " + jar);
    }
    return Path.of(jar);
  }

  public static ServiceProcess start(Path jar, Map<String, String> env, String... jvmFlags) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.add("--sun-misc-unsafe-memory-access=allow");
    command.addAll(List.of(jvmFlags));
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("HTTP_HOST", "127.0.0.1");
    builder.environment().put("HTTP_PORT", "0");
    builder.environment().put("GRPC_PORT", "0"); // model-serving's gRPC listener, on a free port too
    builder.environment().putAll(env);
    return new ServiceProcess(builder.start());
  }

  private void readOutput() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        output.add(line);
        Matcher ready = READY.matcher(line);
        if (ready.find()) {
          startupMillis = Long.parseLong(ready.group(2));
          port = Integer.parseInt(ready.group(1));
        }
      }
    } catch (IOException ignored) {
      // The process ended.
    }
  }

  /** Waits for the ready line; fails with the output so far if the process exits or time runs out. */
  public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service exited with " + process.exitValue() + " before ready:\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("service not ready after " + timeout + ":\n" + output());
      }
      Thread.sleep(20);
    }
    return this;
  }

  /** Waits for the process to end on its own and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("service still running after " + timeout + ":\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(5));
    return process.exitValue();
  }

  /** Sends SIGTERM, as Kubernetes does, and returns the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    signalTerm();
    return awaitExit(timeout);
  }

  /** Sends SIGTERM and returns at once. */
  public void signalTerm() {
    // Through the handle: Process.destroy() would also close the output we are reading.
    process.toHandle().destroy();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  public long startupMillis() {
    return startupMillis;
  }

  public long pid() {
    return process.pid();
  }

  /** VmHWM of /proc/{pid}/status: the most resident memory the process has had. */
  public long peakRssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
      }
    }
    throw new IllegalStateException("no VmHWM in /proc/" + process.pid() + "/status");
  }

  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
