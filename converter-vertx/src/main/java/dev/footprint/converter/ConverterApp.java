package dev.footprint.converter;

import dev.footprint.core.ServiceLauncher;
import dev.footprint.core.ServiceSpec;

/** {@code java -jar converter-vertx.jar}: the converter on HTTP_PORT (default 8080). */
public final class ConverterApp {
  public static final ServiceSpec SPEC = new ServiceSpec("converter-vertx", 8080, ConverterService::new);

  private ConverterApp() {
  }

  public static void main(String[] args) {
    ServiceLauncher.launch(SPEC);
  }
}
