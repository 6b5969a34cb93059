package dev.footprint.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Before a service turns ready, it sends itself its main requests over loopback, through the whole
 * HTTP stack, until its throughput is steady and the JIT has gone quiet, or for WARMUP_SECONDS at
 * most. A pod that turns ready cold takes its full share of traffic while it still interprets: in
 * the cluster's rollout drill the converter's new pod, with C2 alone, could not answer 1,000
 * requests/s for its first eight seconds, its readiness probe timed out, and thousands of requests
 * failed. Warmed, it turns ready later, and serves at full speed when it does.
 *
 * <p>Steady: the last second's answers within 10 % of the second before, and under 10 % of that
 * second spent compiling (with C2 alone the compiler is busy all through the interpreted plateau).
 * It never fails the start: a warm-up whose requests fail just ends.
 *
 * <p>The requests come from plain blocking sockets on threads of their own, not from a Vert.x
 * client: a client on Netty's pipeline, in the same JVM, trains the server's shared call sites
 * (pipeline, codec, transport) with its own types as well, and C2 compiles them for both. Warmed by
 * a Vert.x client, the converter then served 7 % less at saturation than one warmed from outside
 * (127,000 against 136,000 requests/s on one core, five paired rounds of the head-to-head).
 */
final class Warmup {
  private static final Logger LOG = Logger.getLogger(Warmup.class.getName());
  private static final long WINDOW_MILLIS = 250;
  private static final int WINDOWS_PER_SECOND = 4;
  private static final long MIN_MILLIS = 2_000;
  private static final double STEADY_CHANGE = 0.10;
  private static final long QUIET_JIT_MILLIS_PER_SECOND = 100;

  private final Vertx vertx;
  private final long deadlineNanos;
  private final long startedNanos = System.nanoTime();
  private final int port;
  private final List<byte[]> encoded;
  private final int lanes;
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<Long> windows = new ArrayList<>();
  private final List<Long> compileMillis = new ArrayList<>();
  private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
  private final Promise<Void> done = Promise.promise();
  private volatile boolean stopping;
  private final AtomicLong lanesRunning = new AtomicLong();
  private String outcome = "";

  private Warmup(Vertx vertx, int port, List<WarmupRequest> requests, int maxSeconds, int lanes) {
    this.vertx = vertx;
    this.lanes = lanes;
    this.deadlineNanos = startedNanos + TimeUnit.SECONDS.toNanos(maxSeconds);
    this.port = port;
    this.encoded = requests.stream().map(Warmup::encode).toList();
  }

  /** The request as a client sends it on a keep-alive connection. */
  static byte[] encode(WarmupRequest request) {
    byte[] body = request.body() == null ? new byte[0] : request.body().getBytes();
    String head = request.method().name() + " " + request.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + (request.body() == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
        + "\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] whole = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
    System.arraycopy(body, 0, whole, headBytes.length, body.length);
    return whole;
  }

  /** Warms the service on PORT with REQUESTS for at most MAX_SECONDS, LANES requests at a time. */
  static Future<Void> run(Vertx vertx, int port, Future<List<WarmupRequest>> requests, int maxSeconds, int lanes) {
    if (maxSeconds <= 0) {
      return Future.succeededFuture();
    }
    long started = System.nanoTime();
    return requests.timeout(maxSeconds, TimeUnit.SECONDS)
        .otherwise(failure -> {
          LOG.info(() -> "warm-up skipped: its requests were not known within " + maxSeconds + " s (" + failure.getMessage() + ")");
          return List.of();
        })
        .compose(list -> {
          int left = maxSeconds - (int) TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
          if (list.isEmpty() || left <= 0) {
            return Future.succeededFuture();
          }
          Warmup warmup = new Warmup(vertx, port, list, left, lanes);
          vertx.runOnContext(v -> warmup.begin());
          return warmup.done.future();
        });
  }

  private void begin() {
    compileMillis.add(compileTime());
    lanesRunning.set(lanes);
    for (int lane = 0; lane < lanes; lane++) {
      int first = lane;
      Thread.ofPlatform().daemon().name("footprint-warmup-" + lane).start(() -> lane(first));
    }
    Thread.ofPlatform().daemon().name("footprint-warmup-clock").start(this::clock);
  }

  /**
   * The windows' ticks, from a thread of its own posted to the event loop rather than a Vert.x timer:
   * a task handed over from another thread takes a branch of the loop's code that sockets alone never
   * do (the wake-up), and real traffic does (a worker's result, a probe after an idle spell). Trained
   * without it, C2's code for the loop met it first when the warm-up's end was handed over, fell back
   * to the interpreter (an uncommon trap) and served the first requests after ready at a tenth of
   * its steady rate, for most of a second.
   */
  private void clock() {
    long next = System.nanoTime();
    while (!stopping) {
      next += TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);
      LockSupport.parkNanos(next - System.nanoTime());
      vertx.runOnContext(v -> tick());
    }
  }

  /** One keep-alive connection sending request after request until the warm-up stops; reconnects when closed. */
  private void lane(int first) {
    long sequence = first;
    while (!stopping) {
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        boolean open = true;
        while (open && !stopping) {
          out.write(encoded.get((int) (sequence % encoded.size())));
          sequence += lanes;
          Answer answer = Answer.read(in);
          if (answer.status() < 500) {
            answered.incrementAndGet();
          } else {
            failedOnce("status " + answer.status());
          }
          open = !answer.closing();
        }
      } catch (IOException | RuntimeException e) {
        if (!stopping) {
          failedOnce(e.toString());
          pause();
        }
      }
    }
    if (lanesRunning.decrementAndGet() == 0) {
      vertx.runOnContext(v -> finish());
    }
  }

  private void failedOnce(String why) {
    if (failed.incrementAndGet() > 100 && answered.get() == 0) {
      vertx.runOnContext(v -> stop("its requests fail: " + why));
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A response read as far as its framing: its status, and whether the server closes the connection after it. */
  record Answer(int status, boolean closing) {
    static Answer read(InputStream in) throws IOException {
      String statusLine = line(in);
      if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.1 response: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      boolean closing = false;
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          throw new IOException("malformed header: " + header);
        }
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
          closing = value.equalsIgnoreCase("close");
        }
      }
      if (chunked) {
        for (long size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
          skip(in, size + 2);
        }
        while (!line(in).isEmpty()) {
          // trailers
        }
      } else if (length >= 0) {
        skip(in, length);
      } else {
        throw new IOException("a response without Content-Length or chunked framing");
      }
      return new Answer(status, closing);
    }

    private static long chunkSize(String line) {
      int semicolon = line.indexOf(';');
      return Long.parseLong((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder(64);
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }

    private static void skip(InputStream in, long bytes) throws IOException {
      for (long left = bytes; left > 0; ) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed");
          }
          skipped = 1;
        }
        left -= skipped;
      }
    }
  }

  private void tick() {
    if (stopping) {
      return;
    }
    long now = System.nanoTime();
    long total = answered.get();
    windows.add(total);
    compileMillis.add(compileTime());
    int n = windows.size();
    if (now - deadlineNanos >= 0) {
      stop("not steady after " + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos - startedNanos) + " s (WARMUP_SECONDS)");
    } else if (TimeUnit.NANOSECONDS.toMillis(now - startedNanos) >= MIN_MILLIS && n > 2 * WINDOWS_PER_SECOND) {
      long lastSecond = total - windows.get(n - 1 - WINDOWS_PER_SECOND);
      long secondBefore = windows.get(n - 1 - WINDOWS_PER_SECOND) - windows.get(n - 1 - 2 * WINDOWS_PER_SECOND);
      long jitLastSecond = compileMillis.get(compileMillis.size() - 1) - compileMillis.get(compileMillis.size() - 1 - WINDOWS_PER_SECOND);
      if (lastSecond > 0 && Math.abs(lastSecond - secondBefore) <= STEADY_CHANGE * secondBefore
          && jitLastSecond <= QUIET_JIT_MILLIS_PER_SECOND) {
        stop("steady at " + lastSecond + " requests/s");
      }
    }
  }

  private void stop(String why) {
    if (!stopping) {
      outcome = why;
      stopping = true;
    }
  }

  private void finish() {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    StringBuilder perSecond = new StringBuilder();
    for (int i = WINDOWS_PER_SECOND - 1; i < windows.size(); i += WINDOWS_PER_SECOND) {
      long before = i >= WINDOWS_PER_SECOND ? windows.get(i - WINDOWS_PER_SECOND) : 0;
      perSecond.append(perSecond.isEmpty() ? "" : " ").append(windows.get(i) - before);
    }
    long jit = compileTime() - compileMillis.get(0);
    LOG.info(() -> String.format("warm-up: %d requests in %d ms, %d ms compiling; %s; requests each second: %s",
        answered.get(), millis, jit, outcome, perSecond));
    done.complete();
  }

  private long compileTime() {
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }
}
