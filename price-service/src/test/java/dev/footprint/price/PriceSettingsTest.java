package dev.footprint.price;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.Env;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service's variables: defaults, the two kinds of source, and one-line errors naming the variable. */
class PriceSettingsTest {

  @Test
  void defaults() {
    PriceSettings settings = PriceSettings.from(Env.of(Map.of()));
    assertThat(settings.sourceFile()).isEqualTo(Path.of("prices.txt").toAbsolutePath());
    assertThat(settings.sourceUrl()).isNull();
    assertThat(settings.pollSeconds()).isEqualTo(10);
    assertThat(settings.currency()).isEqualTo("USD");
    assertThat(settings.maxBytes()).isEqualTo(64 * 1024 * 1024);
    assertThat(settings.maxProducts()).isEqualTo(2_000_000);
    assertThat(settings.httpTimeoutSeconds()).isEqualTo(30);
    assertThat(settings.maxLookupIds()).isEqualTo(1_000);
  }

  @Test
  void aSourceIsAFilePathAFileUriOrAnHttpUrl() {
    assertThat(source("/etc/prices/prices.txt").sourceFile()).isEqualTo(Path.of("/etc/prices/prices.txt"));
    assertThat(source("file:///etc/prices/prices.txt").sourceFile()).isEqualTo(Path.of("/etc/prices/prices.txt"));
    assertThat(source("HTTPS://prices.example.com/v1/prices.txt?sig=x").sourceUrl())
        .isEqualTo(URI.create("HTTPS://prices.example.com/v1/prices.txt?sig=x"));
    assertThat(source("http://127.0.0.1:8000/p").sourceFile()).isNull();
  }

  @Test
  void aUrlIsShownWithoutCredentialsOrQuery() {
    assertThat(UrlSource.redacted(URI.create("https://user:secret@prices.example.com:8443/v1/prices.txt?X-Amz-Signature=abc")))
        .isEqualTo("https://prices.example.com:8443/v1/prices.txt?...");
    assertThat(UrlSource.redacted(URI.create("http://prices.example.com"))).isEqualTo("http://prices.example.com/");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "PRICES_SOURCE        | ftp://example.com/prices.txt | a file path, a file: URI or an http(s) URL",
      "PRICES_SOURCE        | http://                      | an absolute http(s) URL",
      "PRICES_CURRENCY      | usd                          | 3 capital letters (ISO 4217), like USD",
      "PRICES_CURRENCY      | EURO                         | 3 capital letters (ISO 4217), like USD",
      "PRICES_POLL_SECONDS  | -1                           | an integer in 0..86400",
      "PRICES_MAX_BYTES     | 10                           | an integer in 1024..1073741824",
      "PRICES_MAX_PRODUCTS  | lots                         | an integer in 1..50000000",
      "MAX_LOOKUP_IDS       | 0                            | an integer in 1..100000",
      "PRICES_HTTP_TIMEOUT_SECONDS | 0                     | an integer in 1..3600",
  })
  void aBadValueIsOneLineNamingTheVariable(String name, String value, String expected) {
    assertThatThrownBy(() -> PriceSettings.from(Env.of(Map.of(name, value))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(name + "=\"" + value + "\" is invalid: expected " + expected);
  }

  private static PriceSettings source(String source) {
    return PriceSettings.from(Env.of(Map.of("PRICES_SOURCE", source)));
  }
}
