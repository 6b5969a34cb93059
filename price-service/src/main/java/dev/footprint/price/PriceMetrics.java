package dev.footprint.price;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The price service's meters, all resolved once here: a lookup costs one counter increment, never a
 * tag lookup.
 * <ul>
 *   <li>{@code price_lookups_total{outcome=found|not_found|invalid|unavailable}}: one per product id
 *       asked for (a bulk lookup counts each id)</li>
 *   <li>{@code price_catalog_reloads_total{outcome=loaded|unchanged|not_modified|failed}}</li>
 *   <li>{@code price_catalog_products}: products in the list served (0 before the first load)</li>
 *   <li>{@code price_catalog_age_seconds}: time since the list served was loaded (NaN before)</li>
 *   <li>{@code price_catalog_reload_failing}: 1 while the last reload failed, until one loads or finds
 *       the list served, or the source answers 304 after failing to deliver</li>
 *   <li>{@code price_catalog_load_seconds}: time to read, check and parse each list loaded</li>
 * </ul>
 */
final class PriceMetrics {
  final Counter found;
  final Counter notFound;
  final Counter invalid;
  final Counter unavailable;
  private final Map<ReloadOutcome, Counter> reloads = new EnumMap<>(ReloadOutcome.class);
  private final Timer loadTime;

  PriceMetrics(MeterRegistry registry, PriceListState state) {
    found = lookups(registry, "found");
    notFound = lookups(registry, "not_found");
    invalid = lookups(registry, "invalid");
    unavailable = lookups(registry, "unavailable");
    for (ReloadOutcome outcome : ReloadOutcome.values()) {
      reloads.put(outcome, Counter.builder("price.catalog.reloads")
          .description("Reloads of the price list by outcome")
          .tag("outcome", outcome.label())
          .register(registry));
    }
    loadTime = Timer.builder("price.catalog.load")
        .description("Time to read, check and parse a price list that was loaded")
        .register(registry);
    Gauge.builder("price.catalog.products", state, s -> s.current() == null ? 0 : s.current().catalog().size())
        .description("Products in the price list served")
        .register(registry);
    Gauge.builder("price.catalog.age", state, PriceMetrics::ageSeconds)
        .description("Time since the price list served was loaded")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("price.catalog.reload.failing", state, s -> s.lastFailure() == null ? 0 : 1)
        .description("1 while the last reload of the price list failed (the previous list is served), else 0")
        .register(registry);
  }

  private static Counter lookups(MeterRegistry registry, String outcome) {
    return Counter.builder("price.lookups")
        .description("Product ids looked up, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void reloaded(ReloadResult result) {
    reloads.get(result.outcome()).increment();
    if (result.outcome() == ReloadOutcome.LOADED) {
      loadTime.record(Duration.ofMillis(result.serving().loadMillis()));
    }
  }

  private static double ageSeconds(PriceListState state) {
    LoadedPriceList current = state.current();
    return current == null ? Double.NaN : Duration.between(current.loadedAt(), Instant.now()).toMillis() / 1000.0;
  }
}
