package dev.footprint.core.metrics;

import dev.footprint.core.ServiceSpec;
import dev.footprint.core.http.Endpoints;
import dev.footprint.core.testing.TestClient;
import dev.footprint.core.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every series of {@code /metrics} named as Prometheus' conventions say, by the rules of
 * {@code promtool check metrics} (client_golang's promlint) that a name can break (its lists of
 * units): help text,
 * {@code _total} on counters and only there, no {@code _count}, {@code _sum} or {@code _bucket} on
 * what is no summary or histogram, base units spelled out. {@code ./footprint test} runs the real
 * promtool against each service's jar (scripts/check-metrics.sh); this holds the core to it in
 * every module's build.
 */
@ExtendWith(VertxExtension.class)
class MetricNamesTest {
  private static final Set<String> ABBREVIATED_UNITS =
      Set.of("s", "ms", "us", "ns", "sec", "secs", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d");
  private static final Set<String> NON_BASE_UNITS = Set.of("minutes", "hours", "days", "weeks", "kelvins",
      "fahrenheit", "rankine", "inches", "yards", "miles", "bits", "calories", "pounds", "ounces");
  private static final Set<String> BASE_UNITS =
      Set.of("amperes", "bytes", "celsius", "grams", "joules", "kelvin", "meters", "metres", "seconds", "volts");
  private static final List<String> UNIT_PREFIXES = List.of("pico", "nano", "micro", "milli", "centi", "deci",
      "deca", "hecto", "kilo", "kibi", "mega", "mebi", "giga", "gibi", "tera", "tebi", "peta", "pebi");

  @Test
  void everyMetricFollowsPrometheusNamingConventions(Vertx vertx) {
    ServiceSpec spec = new ServiceSpec("sample", 0, env -> new dev.footprint.core.HttpService() {
      @Override
      public void endpoints(dev.footprint.core.ServiceContext context, Endpoints endpoints) {
        endpoints.path("/items/:id", r -> r.get(ctx -> ctx.json(new JsonObject().put("id", ctx.pathParam("id")))));
      }
    });
    try (TestServer server = TestServer.start(spec); TestClient client = new TestClient(vertx, server.port())) {
      client.get("/items/1");
      client.get("/nowhere");
      client.get("/metrics");
      String text = client.get("/metrics").bodyAsString();
      List<String> problems = lint(text);
      assertThat(problems).as("metrics breaking Prometheus' conventions").isEmpty();
      assertThat(text).contains("# TYPE process_cpu_seconds_total counter")
          .contains("# TYPE jvm_compilation_time_seconds_total counter")
          .contains("# TYPE system_cpu_processors gauge")
          .doesNotContain("process_cpu_time_ns").doesNotContain("jvm_compilation_time_ms").doesNotContain("system_cpu_count");
    }
  }

  /** What promtool would say of each family, one line a problem. */
  static List<String> lint(String exposition) {
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> help = new LinkedHashMap<>();
    for (String line : exposition.split("\n")) {
      String[] parts = line.split(" ", 4);
      if (line.startsWith("# TYPE ")) {
        types.put(parts[2], parts[3]);
      } else if (line.startsWith("# HELP ")) {
        help.put(parts[2], parts.length > 3 ? parts[3].trim() : "");
      }
    }
    List<String> problems = new ArrayList<>();
    types.forEach((name, type) -> {
      if (help.getOrDefault(name, "").isEmpty()) {
        problems.add(name + ": no help text");
      }
      if (type.equals("counter") != name.endsWith("_total")) {
        problems.add(name + ": a " + type + (type.equals("counter") ? " without" : " with") + " the _total suffix");
      }
      if (!type.equals("histogram") && !type.equals("summary")
          && (name.endsWith("_count") || name.endsWith("_sum") || name.endsWith("_bucket"))) {
        problems.add(name + ": a " + type + " named like a summary's or histogram's series");
      }
      if (!name.matches("[a-z_][a-z0-9_]*")) {
        problems.add(name + ": not snake_case");
      }
      for (String word : name.split("_")) {
        if (ABBREVIATED_UNITS.contains(word)) {
          problems.add(name + ": abbreviated unit \"" + word + "\"");
        }
        if (NON_BASE_UNITS.contains(word)
            || UNIT_PREFIXES.stream().anyMatch(p -> word.startsWith(p) && BASE_UNITS.contains(word.substring(p.length())))) {
          problems.add(name + ": \"" + word + "\" is no base unit");
        }
        if (word.equals(type)) {
          problems.add(name + ": its type in its name");
        }
      }
    });
    assertThat(types).as("families scraped").hasSizeGreaterThan(20);
    return problems;
  }
}
