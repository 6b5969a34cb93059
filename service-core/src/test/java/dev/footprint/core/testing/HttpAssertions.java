package dev.footprint.core.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks shared by every service's tests: the error model above all. */
public final class HttpAssertions {
  private HttpAssertions() {
  }

  /**
   * A JSON error: {@code status}, content type application/json, a body that is exactly
   * {@code {"error": "..."}} whose message contains {@code fragment}, and no stack trace.
   */
  public static JsonObject assertError(HttpResponse<Buffer> response, int status, String fragment) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactly("error");
    assertThat(body.getString("error")).containsIgnoringCase(fragment);
    assertThat(body.getString("error")).doesNotContain("Exception").doesNotContain("\tat ");
    return body;
  }

  public static JsonObject assertOkJson(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as("status of %s", response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    return response.bodyAsJsonObject();
  }

  /**
   * {@code HEAD path} answered as {@code GET path} is (RFC 9110, 9.3.2), on one connection: the same
   * status, Content-Type and, when {@code sameLength}, Content-Length (that of GET's body), and no
   * body: the response to a GET sent after it is read right after its head. Returns the HEAD's head.
   */
  public static RawHttp.Response assertHeadLikeGet(int port, String path, boolean sameLength) throws IOException {
    try (RawHttp raw = new RawHttp(port, 10_000)) {
      RawHttp.Response get = raw.send(RawHttp.get(path)).read();
      RawHttp.Response head = raw.send(RawHttp.request("HEAD", path)).readHead();
      RawHttp.Response after = raw.send(RawHttp.get(path)).read();
      assertThat(head.status()).as("HEAD %s", path).isEqualTo(get.status());
      assertThat(head.header("content-type")).as("HEAD %s Content-Type", path).isEqualTo(get.header("content-type"));
      assertThat(head.header("x-app-id")).as("HEAD %s X-App-Id", path).isEqualTo(get.header("x-app-id"));
      assertThat(head.header("transfer-encoding")).as("HEAD %s Transfer-Encoding", path).isNull();
      assertThat(get.header("content-length")).isEqualTo(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
      if (sameLength) {
        assertThat(head.header("content-length")).as("HEAD %s Content-Length", path).isEqualTo(get.header("content-length"));
      } else {
        assertThat(head.header("content-length")).as("HEAD %s Content-Length", path).matches("[1-9][0-9]*");
      }
      assertThat(after).as("the GET after HEAD %s (a body sent to HEAD would be read as its status line)", path).isNotNull();
      assertThat(after.status()).isEqualTo(get.status());
      return head;
    }
  }
}
