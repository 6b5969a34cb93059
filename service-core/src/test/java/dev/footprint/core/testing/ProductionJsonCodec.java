package dev.footprint.core.testing;

import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Keeps the tests on the JSON codec the services run with. Vert.x takes Jackson's databind codec
 * whenever jackson-databind is on the class path, and the tests' OpenAPI validator (swagger-parser)
 * puts it there; the services' jars have only jackson-core, hence JacksonCodec. Registered in the
 * test-jar's META-INF/services, ahead of Vert.x's default.
 */
public final class ProductionJsonCodec implements JsonFactory {
  private static final JsonCodec CODEC = new JacksonCodec();

  @Override
  public int order() {
    return 0;
  }

  @Override
  public JsonCodec codec() {
    return CODEC;
  }
}
