package dev.footprint.price;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A web server holding a price list, as an object store or a CDN would: an ETag and a Last-Modified
 * per version, 304 to a request that names the current one. Counts what it sends.
 */
final class PriceListServer implements AutoCloseable {
  private final HttpServer server;
  private volatile String body = "";
  private volatile int version;
  private volatile int status = 200;
  volatile boolean sendEtag = true;
  volatile boolean chunked;
  final AtomicInteger fullResponses = new AtomicInteger();
  final AtomicInteger notModified = new AtomicInteger();
  final List<String> ifNoneMatchSeen = new CopyOnWriteArrayList<>();
  final List<String> ifModifiedSinceSeen = new CopyOnWriteArrayList<>();

  PriceListServer(Vertx vertx) {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/lists/prices.txt";
  }

  /** Serves {@code text} as a new version. */
  void serve(String text) {
    body = text;
    version++;
    status = 200;
  }

  void failWith(int code) {
    status = code;
  }

  /** Answers again after {@link #failWith}, with the version it had: a poll that names it gets 304. */
  void recover() {
    status = 200;
  }

  String etag() {
    return "\"v" + version + "\"";
  }

  String lastModified() {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochSecond(1_790_000_000L + version).atOffset(ZoneOffset.UTC));
  }

  private void handle(HttpServerRequest request) {
    if (status != 200) {
      request.response().setStatusCode(status).end("unavailable");
      return;
    }
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    String ifModifiedSince = request.getHeader(HttpHeaders.IF_MODIFIED_SINCE);
    if (ifNoneMatch != null) {
      ifNoneMatchSeen.add(ifNoneMatch);
    }
    if (ifModifiedSince != null) {
      ifModifiedSinceSeen.add(ifModifiedSince);
    }
    boolean current = sendEtag ? etag().equals(ifNoneMatch) : lastModified().equals(ifModifiedSince);
    var response = request.response().putHeader(HttpHeaders.LAST_MODIFIED, lastModified());
    if (sendEtag) {
      response.putHeader(HttpHeaders.ETAG, etag());
    }
    if (current) {
      notModified.incrementAndGet();
      response.setStatusCode(304).end();
      return;
    }
    fullResponses.incrementAndGet();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (chunked) {
      response.setChunked(true);
      for (int i = 0; i < bytes.length; i += 256) {
        response.write(Buffer.buffer(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 256))));
      }
      response.end();
    } else {
      response.end(Buffer.buffer(bytes));
    }
  }

  @Override
  public void close() {
    server.close().await();
  }
}
