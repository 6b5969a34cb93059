package dev.footprint.price;

import dev.footprint.core.ServiceLauncher;
import dev.footprint.core.ServiceSpec;

/** {@code java -jar price-service.jar}: the price service on HTTP_PORT (default 8081). */
public final class PriceApp {
  public static final ServiceSpec SPEC = new ServiceSpec("price-service", 8081, PriceService::new);

  private PriceApp() {
  }

  public static void main(String[] args) {
    ServiceLauncher.launch(SPEC);
  }
}
