package dev.footprint.core.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A blocking HTTP client for tests, over Vert.x's WebClient: each call waits for its response. */
public final class TestClient implements AutoCloseable {
  private final WebClient client;
  private final int port;

  public TestClient(Vertx vertx, int port) {
    this(vertx, port, 8);
  }

  public TestClient(Vertx vertx, int port, int maxConnections) {
    this.client = WebClient.create(vertx,
        new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(maxConnections));
    this.port = port;
  }

  public WebClient raw() {
    return client;
  }

  public int port() {
    return port;
  }

  public HttpResponse<Buffer> get(String uri) {
    return client.request(HttpMethod.GET, uri).send().await();
  }

  public HttpResponse<Buffer> post(String uri, String body) {
    return post(uri, body, "application/json");
  }

  /** POST {@code body} as is; a null content type sends no Content-Type header. */
  public HttpResponse<Buffer> post(String uri, String body, String contentType) {
    HttpRequest<Buffer> request = client.request(HttpMethod.POST, uri);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return request.sendBuffer(Buffer.buffer(body)).await();
  }

  public HttpResponse<Buffer> postJson(String uri, JsonObject body) {
    return client.request(HttpMethod.POST, uri).sendJsonObject(body).await();
  }

  public HttpResponse<Buffer> send(HttpMethod method, String uri) {
    return client.request(method, uri).send().await();
  }

  @Override
  public void close() {
    client.close();
  }
}
