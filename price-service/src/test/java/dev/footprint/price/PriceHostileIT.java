package dev.footprint.price;

import dev.footprint.core.testing.HostileClientsContract;
import dev.footprint.core.testing.RawHttp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile clients against price-service's jar, with its image's flags under its Deployment's
 * memory, the flood against its default connection limit (1,024 from its 32 MiB heap: 10,240 sockets).
 */
class PriceHostileIT extends HostileClientsContract {
  @Override
  protected String service() {
    return "price-service";
  }

  @Override
  protected Map<String, String> environment() throws IOException {
    Path prices = Files.createTempFile("prices", ".txt");
    prices.toFile().deleteOnExit();
    Files.writeString(prices, "P123,19.99\nP124,49.5\n");
    return Map.of("PRICES_SOURCE", prices.toString());
  }

  @Override
  protected String wellBehavedRequest() {
    return RawHttp.get("/prices/P124");
  }

  @Override
  protected void assertRightAnswer(RawHttp.Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"productId\":\"P124\",\"price\":49.5,\"currency\":\"USD\"}");
  }

  @Override
  protected String jsonPath() {
    return "/prices/lookup";
  }
}
