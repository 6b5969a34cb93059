package dev.footprint.converter;

import dev.footprint.core.testing.HostileClientsContract;
import dev.footprint.core.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/** The hostile clients against the converter's jar, with its image's flags and its default connection limit. */
class ConverterHostileIT extends HostileClientsContract {
  @Override
  protected String service() {
    return "converter-vertx";
  }

  @Override
  protected String wellBehavedRequest() {
    return RawHttp.post("/convert", "{\"fahrenheit\": 212}");
  }

  @Override
  protected void assertRightAnswer(RawHttp.Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).matches("\\{\"celsius\":100\\.0,\"app_id\":\"[0-9a-f]{8}\"}");
  }

  @Override
  protected String jsonPath() {
    return "/convert";
  }
}
