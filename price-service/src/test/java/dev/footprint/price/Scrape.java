package dev.footprint.price;

import dev.footprint.core.testing.TestClient;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads one series from GET /metrics. */
final class Scrape {
  private Scrape() {
  }

  /** The value of {@code name} with every label of {@code labels} ({@code outcome="failed"}); NaN when absent. */
  static double value(TestClient client, String name, String... labels) {
    var response = client.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    for (String line : response.bodyAsString().split("\n")) {
      if (line.startsWith(name + "{") && Arrays.stream(labels).allMatch(line::contains)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }
}
