package dev.footprint.price;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The file format, line by line: what loads, exactly as written, and what rejects the whole list, with its line. */
class PriceListParserTest {

  @Test
  void theFlaskServicesFileLoadsUnchanged() {
    PriceCatalog catalog = parsed("P123,19.99\nP124,49.5\n");
    assertThat(catalog.size()).isEqualTo(2);
    assertThat(catalog.priceText(catalog.find("P123"))).isEqualTo("19.99");
    assertThat(catalog.priceText(catalog.find("P124"))).isEqualTo("49.5");
    assertThat(catalog.currency(catalog.find("P124"))).isEqualTo("USD");
    assertThat(catalog.find("P125")).isEqualTo(-1);
  }

  @Test
  void aLastLineWithoutItsLineBreakCountsWhenItIsAWholeRecord() {
    // Files written by hand often end this way; the original service read them.
    PriceCatalog catalog = parsed("P123,19.99\nP124,49.5");
    assertThat(catalog.size()).isEqualTo(2);
    assertThat(catalog.priceText(catalog.find("P124"))).isEqualTo("49.5");
    PriceCatalog crlf = parsed("P123,19.99\r\nP124,49.5,EUR\r");
    assertThat(crlf.currency(crlf.find("P124"))).isEqualTo("EUR");
    assertThat(parsed("P1,1").size()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "49.5, 49.5",
      "19.90, 19.90",
      "0.5, 0.5",
      "0, 0",
      "0.00, 0.00",
      "5, 5",
      "007.10, 7.10",
      "0.000001, 0.000001",
      "999999999999.999999, 999999999999.999999",
      "1000000, 1000000",
  })
  void pricesStayExactlyAsWrittenWithoutLeadingZeros(String written, String served) {
    PriceCatalog catalog = parsed("A," + written + "\n");
    assertThat(catalog.priceText(0)).isEqualTo(served);
    assertThat(catalog.price(0)).isEqualByComparingTo(written);
    assertThat(catalog.price(0).toPlainString()).isEqualTo(served);
  }

  @Test
  void commentsBlankLinesBlanksAroundFieldsCrlfAndAByteOrderMarkAreAccepted() {
    String text = "\uFEFF# prices for the spring sale: caf\u00e9 \u20ac\r\n"
        + "\r\n"
        + "   \t\n"
        + "  # indented comment\n"
        + " P1 , 1.50 \r\n"
        + "\tsku_2-b.c\t,\t2\t,\tEUR\t\n";
    PriceCatalog catalog = parsed(text);
    assertThat(catalog.size()).isEqualTo(2);
    assertThat(catalog.priceText(catalog.find("P1"))).isEqualTo("1.50");
    int second = catalog.find("sku_2-b.c");
    assertThat(catalog.priceText(second)).isEqualTo("2");
    assertThat(catalog.currency(second)).isEqualTo("EUR");
    assertThat(catalog.currency(catalog.find("P1"))).isEqualTo("USD");
  }

  @Test
  void idsAreCaseSensitiveAndUpTo64Characters() {
    String longest = "x".repeat(64);
    PriceCatalog catalog = parsed("p1,1\nP1,2\n" + longest + ",3\n");
    assertThat(catalog.priceText(catalog.find("p1"))).isEqualTo("1");
    assertThat(catalog.priceText(catalog.find("P1"))).isEqualTo("2");
    assertThat(catalog.priceText(catalog.find(longest))).isEqualTo("3");
    assertThat(catalog.find(longest + "x")).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "P1,1\\nP2,-3.00\\n                | 2 | negative price \"-3.00\": a price is 0 or more",
      "P1,1\\nP2,abc\\n                  | 2 | malformed price \"abc\"",
      "P1,1\\nP2,1.\\n                   | 2 | malformed price \"1.\"",
      "P1,1\\nP2,.5\\n                   | 2 | malformed price \".5\"",
      "P1,1\\nP2,1e3\\n                  | 2 | malformed price \"1e3\"",
      "P1,1\\nP2,+1\\n                   | 2 | malformed price \"+1\"",
      "P1,1\\nP2,1 000\\n                | 2 | malformed price \"1 000\"",
      "P1,1\\nP2,\\n                     | 2 | empty price",
      "P1,1\\nP2,1.1234567\\n            | 2 | price \"1.1234567\" has 7 decimals: at most 6",
      "P1,1\\nP2,1234567890123\\n        | 2 | has 13 digits before the decimal point: at most 12",
      "P1,1\\nP2\\n                       | 2 | no price: expected id,price in \"P2\"",
      "P1,1\\nP2;5\\n                     | 2 | no price: expected id,price",
      "P1,1\\nP2,1,USD,x\\n              | 2 | too many fields",
      "P1,1\\n,5\\n                       | 2 | empty product id",
      "P1,1\\nP 2,5\\n                    | 2 | invalid character U+0020 (space) in product id \"P 2\"",
      "P1,1\\nP/2,5\\n                    | 2 | invalid character '/' in product id",
      "P1,1\\nP2,1,usd\\n                 | 2 | invalid currency \"usd\": expected 3 capital letters",
      "P1,1\\nP2,1,EURO\\n                | 2 | invalid currency \"EURO\"",
      "P1,1\\nP2,1,\\n                    | 2 | invalid currency \"\"",
      "P1,1\\nP2,2\\nP1,3\\n              | 3 | duplicate product id \"P1\" (first on line 1)",
      "P1,1\\nP2,2\\nP3,               | 3 | the last line has no line break and does not parse, the file looks truncated",
      "P1,1\\nP2,2\\nP3                | 3 | the last line has no line break and does not parse, the file looks truncated",
  })
  void aBadLineRejectsTheWholeListNamingItsLine(String text, int line, String message) {
    ParseResult.Rejected rejected = rejected(text.replace("\\n", "\n"));
    assertThat(rejected.errors()).hasSize(1);
    assertThat(rejected.errors().get(0).line()).isEqualTo(line);
    assertThat(rejected.errors().get(0).message()).contains(message);
  }

  @Test
  void anIdOver64CharactersIsRejected() {
    String id = "a".repeat(65);
    assertThat(rejected("P1,1\n" + id + ",2\n").errors().get(0))
        .isEqualTo(new LineError(2, "product id \"" + "a".repeat(40) + "...\" is 65 characters long: at most 64"));
  }

  @Test
  void anEmptyFileAndAFileWithoutProductsAreRejected() {
    assertThat(rejected("").errors()).containsExactly(new LineError(0, "the file is empty: a price list needs at least one line id,price"));
    assertThat(rejected("\uFEFF").errors().get(0).message()).startsWith("the file is empty");
    assertThat(rejected("# nothing yet\n\n").errors()).containsExactly(new LineError(0, "no products: the file has only comments and blank lines"));
  }

  @Test
  void bytesThatAreNotUtf8AreRejectedWithTheirLine() {
    byte[] latin1 = "P1,1\n# caf\u00e9 in Latin-1\nP2,2\n".getBytes(StandardCharsets.ISO_8859_1);
    ParseResult.Rejected rejected = rejected(latin1);
    assertThat(rejected.errors()).hasSize(1);
    assertThat(rejected.errors().get(0).line()).isEqualTo(2);
    assertThat(rejected.errors().get(0).message()).contains("not UTF-8 (0xE9 at byte offset 10)");

    byte[] cutSequence = {'P', '1', ',', '1', '\n', '#', ' ', (byte) 0xE2, (byte) 0x82};
    assertThat(rejected(cutSequence).errors().get(0).message()).contains("not UTF-8");
  }

  @Test
  void aNonAsciiCharacterInAnIdIsNamed() {
    assertThat(rejected("caf\u00e9,1\n").errors().get(0).message()).contains("invalid character U+00E9 in product id \"caf\u00e9\"");
  }

  @Test
  void everyErrorIsReportedUpToTheLimitThenParsingStops() {
    ParseResult.Rejected some = rejected("P1,-1\nP2,x\nP3,1\nP3,2\n");
    assertThat(some.errors()).extracting(LineError::line).containsExactly(1, 2, 4);
    assertThat(some.stoppedEarly()).isFalse();
    assertThat(some.summary()).isEqualTo(
        "line 1: negative price \"-1\": a price is 0 or more; line 2: malformed price \"x\": expected digits with an optional '.'"
            + " and 1 to 6 decimals, like 19.99; line 4: duplicate product id \"P3\" (first on line 3)");

    ParseResult.Rejected many = rejected("bad\n".repeat(100));
    assertThat(many.errors()).hasSize(PriceListParser.MAX_ERRORS);
    assertThat(many.stoppedEarly()).isTrue();
    assertThat(many.summary()).endsWith("; and more");
  }

  @Test
  void moreProductsThanTheLimitAreRejected() {
    assertThat(PriceListParser.parse(ascii("A,1\nB,2\n"), "USD", 2)).isInstanceOf(ParseResult.Parsed.class);
    ParseResult.Rejected rejected = (ParseResult.Rejected) PriceListParser.parse(ascii("A,1\n# c\nB,2\nC,3\n"), "USD", 2);
    assertThat(rejected.errors()).containsExactly(new LineError(4, "more than 2 products (PRICES_MAX_PRODUCTS)"));
  }

  @Test
  void theDefaultCurrencyIsTheOneGiven() {
    PriceCatalog catalog = (((ParseResult.Parsed) PriceListParser.parse(ascii("A,1\nB,2,GBP\n"), "CHF", 10)).catalog());
    assertThat(catalog.currency(catalog.find("A"))).isEqualTo("CHF");
    assertThat(catalog.currency(catalog.find("B"))).isEqualTo("GBP");
  }

  private static PriceCatalog parsed(String text) {
    ParseResult result = PriceListParser.parse(text.getBytes(StandardCharsets.UTF_8), "USD", 1_000);
    assertThat(result).as("%s", result).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).catalog();
  }

  private static ParseResult.Rejected rejected(String text) {
    return rejected(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ParseResult.Rejected rejected(byte[] bytes) {
    ParseResult result = PriceListParser.parse(bytes, "USD", 1_000);
    assertThat(result).isInstanceOf(ParseResult.Rejected.class);
    return (ParseResult.Rejected) result;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
