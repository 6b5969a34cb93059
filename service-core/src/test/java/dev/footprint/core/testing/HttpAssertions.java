package dev.footprint.core.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

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
}
