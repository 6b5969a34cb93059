package dev.footprint.price;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A price list at an http(s) URL, fetched with Vert.x's non-blocking client. Each fetch is
 * conditional: {@code If-None-Match} with the last ETag and {@code If-Modified-Since} with the last
 * Last-Modified, so an unchanged list is answered 304 and neither downloaded nor parsed again.
 * The body is capped at PRICES_MAX_BYTES while it streams in.
 *
 * <p>Only a list known to be whole is taken: the response must be framed (a Content-Length, or
 * chunked transfer coding, whose end the client checks), since a body that simply ends when the
 * connection closes cannot be told from one cut short. And the whole fetch (connect, answer, body)
 * must finish within PRICES_HTTP_TIMEOUT_SECONDS in total: a source that trickles a byte now and
 * then fails at that deadline rather than stalling every reload after it.
 */
final class UrlSource implements PriceListSource {
  private final URI uri;
  private final String shown;
  private final int maxBytes;
  private final long timeoutMillis;
  private final HttpClient client;
  private final Vertx vertx;
  // The request of the fetch in progress (one at a time), for the deadline to reset.
  private volatile HttpClientRequest inFlight;
  // Validators of the last complete response; touched only on the loader's context.
  private String etag;
  private String lastModified;

  UrlSource(URI uri, int maxBytes, long timeoutMillis, Vertx vertx) {
    this.uri = uri;
    this.shown = redacted(uri);
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
    this.vertx = vertx;
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setName("price-list-source")
        .setDecompressionSupported(true)
        .setKeepAlive(true));
  }

  /** Without user info or query: a presigned URL's signature or a password stays out of logs and /catalog. */
  static String redacted(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    int port = uri.getPort();
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + (port < 0 ? "" : ":" + port) + path
        + (uri.getRawQuery() == null ? "" : "?...");
  }

  @Override
  public String describe() {
    return shown;
  }

  @Override
  public Future<SourceContent> fetch(boolean force) {
    // The idle timeout catches a silent source early; the deadline below bounds one that trickles.
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(uri.toString())
        .setFollowRedirects(true)
        .setTimeout(timeoutMillis);
    // Sent even when forced: a 304 is the server saying the list is the one already loaded.
    if (etag != null) {
      options.putHeader(HttpHeaders.IF_NONE_MATCH, etag);
    }
    if (lastModified != null) {
      options.putHeader(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
    }
    Promise<SourceContent> outcome = Promise.promise();
    long deadline = vertx.setTimer(timeoutMillis, ignored -> {
      if (outcome.tryFail(new SourceException("GET " + shown + " did not complete within " + timeoutMillis / 1000
          + " s (PRICES_HTTP_TIMEOUT_SECONDS): the source is too slow"))) {
        HttpClientRequest request = inFlight;
        if (request != null) {
          request.reset();
        }
      }
    });
    client.request(options)
        .compose(request -> {
          if (outcome.future().isComplete()) {
            // The deadline passed while connecting.
            request.reset();
            return Future.failedFuture(outcome.future().cause());
          }
          inFlight = request;
          return request.send();
        })
        .compose(response -> read(response, outcome.future()))
        .recover(failure -> Future.failedFuture(failure instanceof SourceException ? failure
            : new SourceException("GET " + shown + " failed: " + describe(failure))))
        .onComplete(done -> {
          vertx.cancelTimer(deadline);
          inFlight = null;
          if (done.succeeded()) {
            outcome.tryComplete(done.result());
          } else {
            outcome.tryFail(done.cause());
          }
        });
    return outcome.future();
  }

  /** The response's list, unless {@code outcome} is decided first (the deadline passed). */
  private Future<SourceContent> read(HttpClientResponse response, Future<SourceContent> outcome) {
    // After a redirect, the request answering is not the one sent first.
    inFlight = response.request();
    int status = response.statusCode();
    if (status == 304) {
      return Future.succeededFuture(new SourceContent.NotModified("HTTP 304 Not Modified"));
    }
    if (status != 200) {
      discard(response);
      return Future.failedFuture(new SourceException("GET " + shown + " answered HTTP " + status + ": expected 200 or 304"));
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = parseLength(length);
    if (declared < 0 && !isChunked(response)) {
      discard(response);
      return Future.failedFuture(new SourceException("GET " + shown + " answered without Content-Length or chunked "
          + "transfer coding: a list that ends when the connection closes cannot be told from one cut short"));
    }
    if (declared > maxBytes) {
      discard(response);
      return Future.failedFuture(tooLarge(declared + " bytes"));
    }
    String newEtag = response.getHeader(HttpHeaders.ETAG);
    String newLastModified = response.getHeader(HttpHeaders.LAST_MODIFIED);
    Promise<SourceContent> body = Promise.promise();
    Buffer received;
    // Named once: the check runs on every chunk of a chunked body.
    String reading = "GET " + shown;
    try {
      HeapHeadroom.reserve(Math.max(declared, 0), reading);
      received = Buffer.buffer(declared > 0 ? (int) declared : 64 * 1024);
    } catch (NotEnoughHeapException e) {
      discard(response);
      return Future.failedFuture(e);
    }
    response.handler(chunk -> {
      long total = received.length() + chunk.length();
      if (total > maxBytes) {
        // Fail first: the reset reports itself to the exception handler too.
        body.tryFail(tooLarge("more than " + maxBytes + " bytes"));
        discard(response);
        return;
      }
      try {
        if (total > declared) {
          // Chunked or longer than declared: the buffer grows, by doubling.
          HeapHeadroom.reserve(total, reading);
        }
      } catch (NotEnoughHeapException e) {
        body.tryFail(e);
        discard(response);
        return;
      }
      received.appendBuffer(chunk);
    });
    response.exceptionHandler(body::tryFail);
    response.endHandler(ignored -> {
      if (outcome.isComplete()) {
        body.tryFail(new SourceException("GET " + shown + " completed after its deadline"));
        return;
      }
      // Only a complete body, in time, moves the validators on: a cut transfer is fetched again next time.
      etag = newEtag;
      lastModified = newLastModified;
      byte[] bytes;
      try {
        HeapHeadroom.reserve(received.length(), reading);
        bytes = received.getBytes();
      } catch (NotEnoughHeapException e) {
        body.tryFail(e);
        return;
      }
      body.tryComplete(new SourceContent.Content(bytes,
          shown + (newEtag == null ? "" : " ETag " + newEtag)));
    });
    return body.future();
  }

  /** Drops a response not to be read; the reset's own report is expected, not a SEVERE stack trace. */
  private static void discard(HttpClientResponse response) {
    response.exceptionHandler(ignored -> { });
    response.request().reset();
  }

  private SourceException tooLarge(String size) {
    return SourceException.rejected("GET " + shown + " sent " + size + ": over the limit of " + maxBytes + " (PRICES_MAX_BYTES)");
  }

  private static boolean isChunked(HttpClientResponse response) {
    String coding = response.getHeader(HttpHeaders.TRANSFER_ENCODING);
    return coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
  }

  private static long parseLength(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timed out (PRICES_HTTP_TIMEOUT_SECONDS)";
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  @Override
  public Future<Void> close() {
    return client.shutdown(0, TimeUnit.SECONDS);
  }
}
