package dev.footprint.price;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog's lookups and its footprint at the scale the service promises. */
class PriceCatalogTest {

  @Test
  void aMillionProductsAreAllFoundAndHeldInUnder64MiB() {
    byte[] file = PriceListFiles.generated(1_000_000, 7);
    PriceCatalog catalog = ((ParseResult.Parsed) PriceListParser.parse(file, "USD", 2_000_000)).catalog();
    assertThat(catalog.size()).isEqualTo(1_000_000);
    for (int i = 1; i <= 1_000_000; i++) {
      int entry = catalog.find(PriceListFiles.id(i));
      if (entry < 0 || !catalog.id(entry).equals(PriceListFiles.id(i))) {
        throw new AssertionError("lookup of " + PriceListFiles.id(i) + " found entry " + entry);
      }
    }
    assertThat(catalog.find("P0000000")).isEqualTo(-1);
    assertThat(catalog.find("P1000001")).isEqualTo(-1);
    // Counted from its arrays; the benchmark measures the heap itself.
    assertThat(catalog.retainedBytes()).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void pricesAndIdsComeBackAsTheFileHadThem() {
    Random random = new Random(3);
    StringBuilder text = new StringBuilder();
    String[] ids = new String[5_000];
    String[] prices = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = "id-" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36) + "_" + i;
      prices[i] = random.nextInt(1_000_000) + (i % 3 == 0 ? "" : "." + "0123456789".substring(0, 1 + i % 6));
      text.append(ids[i]).append(',').append(prices[i]).append('\n');
    }
    PriceCatalog catalog = ((ParseResult.Parsed) PriceListParser.parse(text.toString().getBytes(), "USD", 10_000)).catalog();
    byte[] out = new byte[PriceText.MAX_LENGTH + ProductIds.MAX_LENGTH];
    for (int i = 0; i < ids.length; i++) {
      int entry = catalog.find(ids[i]);
      assertThat(catalog.id(entry)).isEqualTo(ids[i]);
      assertThat(catalog.priceText(entry)).isEqualTo(prices[i]);
      int end = catalog.writeId(entry, out, 0);
      assertThat(new String(out, 0, end)).isEqualTo(ids[i]);
    }
  }

  @Test
  void lookupsOfStringsThatCannotBeIdsFindNothing() {
    PriceCatalog catalog = ((ParseResult.Parsed) PriceListParser.parse("P1,1\n".getBytes(), "USD", 10)).catalog();
    assertThat(catalog.find("")).isEqualTo(-1);
    assertThat(catalog.find("P\u0131")).isEqualTo(-1);
    assertThat(catalog.find("P1 ")).isEqualTo(-1);
    assertThat(catalog.find("P1")).isZero();
  }
}
