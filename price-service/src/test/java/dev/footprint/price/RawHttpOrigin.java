package dev.footprint.price;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A price list origin that answers with raw bytes, as no well-behaved HTTP server would: a body
 * without framing that the connection's close cuts short, a Content-Length it does not keep, a
 * chunked body without its last chunk, a body trickled a byte at a time. One answer per connection:
 * each closes it, so the client's next request comes on a new one.
 */
final class RawHttpOrigin implements AutoCloseable {
  private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n";

  private final Vertx vertx;
  private final NetServer server;
  private volatile BiConsumer<Vertx, NetSocket> answer;
  final AtomicInteger requests = new AtomicInteger();

  RawHttpOrigin(Vertx vertx) {
    this.vertx = vertx;
    this.server = vertx.createNetServer().connectHandler(this::connected).listen(0, "127.0.0.1").await();
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/prices.txt";
  }

  private void connected(NetSocket socket) {
    // Loopback delivers the small GET in one read; what it says does not matter here.
    socket.handler(ignored -> {
      socket.handler(null);
      requests.incrementAndGet();
      answer.accept(vertx, socket);
    });
  }

  /** A correct answer: Content-Length, the whole body. */
  void framed(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
    answer = (v, socket) -> socket.write(HEAD + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body)
        .onComplete(done -> socket.close());
  }

  /** No Content-Length, not chunked: the body is whatever came before the close. */
  void unframed(String body) {
    answer = (v, socket) -> socket.write(HEAD + "Connection: close\r\n\r\n" + body).onComplete(done -> socket.close());
  }

  /** A Content-Length for {@code body}, but only its first {@code sent} bytes before the close. */
  void contentLengthCut(String body, int sent) {
    answer = (v, socket) -> socket.write(HEAD + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, sent))
        .onComplete(done -> socket.close());
  }

  /** Chunked, one chunk of {@code body}, then the close instead of the last (zero-size) chunk. */
  void chunkedCut(String body) {
    answer = (v, socket) -> socket.write(HEAD + "Transfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n").onComplete(done -> socket.close());
  }

  /** Headers with a Content-Length at once, then the body one byte every {@code millis} ms. */
  void trickle(String body, long millis) {
    answer = (v, socket) -> {
      socket.write(HEAD + "Content-Length: " + body.length() + "\r\n\r\n");
      AtomicInteger next = new AtomicInteger();
      AtomicBoolean closed = new AtomicBoolean();
      socket.closeHandler(ignored -> closed.set(true));
      v.setPeriodic(millis, timer -> {
        int i = next.getAndIncrement();
        if (closed.get() || i >= body.length()) {
          v.cancelTimer(timer);
          return;
        }
        socket.write(Buffer.buffer(body.substring(i, i + 1)));
      });
    };
  }

  @Override
  public void close() {
    server.close().await();
  }
}
