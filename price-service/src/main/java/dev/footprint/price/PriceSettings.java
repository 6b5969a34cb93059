package dev.footprint.price;

import dev.footprint.core.config.Env;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The price service's own variables (the README's table documents each).
 *
 * @param sourceUrl       PRICES_SOURCE when it is an http(s) URL, else null
 * @param sourceFile      PRICES_SOURCE when it is a file path (default prices.txt in the working directory), else null
 * @param pollSeconds     PRICES_POLL_SECONDS: how often the source is checked; 0 never (a file is still watched)
 * @param currency        PRICES_CURRENCY: the currency of lines that name none
 * @param maxBytes        PRICES_MAX_BYTES: the largest list read
 * @param maxProducts     PRICES_MAX_PRODUCTS: the most products a list may have
 * @param httpTimeoutSeconds PRICES_HTTP_TIMEOUT_SECONDS: the total deadline of a URL fetch (connect, answer, body), also its idle timeout
 * @param maxLookupIds    MAX_LOOKUP_IDS: the most ids in one POST /prices/lookup
 */
record PriceSettings(URI sourceUrl, Path sourceFile, int pollSeconds, String currency, int maxBytes, int maxProducts,
                     int httpTimeoutSeconds, int maxLookupIds) {
  static final String DEFAULT_SOURCE = "prices.txt";

  static PriceSettings from(Env env) {
    String source = env.string("PRICES_SOURCE", DEFAULT_SOURCE);
    URI url = null;
    Path file = null;
    String lower = source.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      url = env.httpUrl("PRICES_SOURCE", source);
    } else if (source.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") && !lower.startsWith("file:")) {
      throw Env.invalid("PRICES_SOURCE", source, "a file path, a file: URI or an http(s) URL");
    } else {
      file = filePath(source);
    }
    String currency = env.string("PRICES_CURRENCY", "USD");
    if (!Currencies.isValid(currency)) {
      throw Env.invalid("PRICES_CURRENCY", currency, "3 capital letters (ISO 4217), like USD");
    }
    return new PriceSettings(url, file,
        env.integer("PRICES_POLL_SECONDS", 10, 0, 86_400),
        currency,
        env.integer("PRICES_MAX_BYTES", 64 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
        env.integer("PRICES_MAX_PRODUCTS", 2_000_000, 1, 50_000_000),
        env.integer("PRICES_HTTP_TIMEOUT_SECONDS", 30, 1, 3_600),
        env.integer("MAX_LOOKUP_IDS", 1_000, 1, 100_000));
  }

  private static Path filePath(String source) {
    try {
      Path path = source.regionMatches(true, 0, "file:", 0, 5) ? Path.of(URI.create(source)) : Path.of(source);
      return path.toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      throw Env.invalid("PRICES_SOURCE", source, "a file path, a file: URI or an http(s) URL");
    }
  }
}
