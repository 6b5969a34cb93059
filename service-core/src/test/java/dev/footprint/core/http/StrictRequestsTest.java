package dev.footprint.core.http;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks' arithmetic; their answers over HTTP are each service's HostileIT. */
class StrictRequestsTest {

  @Test
  void percentEncodingMustBeTwoHexDigitsEveryTime() {
    assertThat(StrictRequests.wellFormedPercentEncoding("/prices/P%31%32%3a")).isTrue();
    assertThat(StrictRequests.wellFormedPercentEncoding("/a%2Fb?q=%20x")).isTrue();
    assertThat(StrictRequests.wellFormedPercentEncoding("/prices/%G1")).isFalse();
    assertThat(StrictRequests.wellFormedPercentEncoding("/prices/%1")).isFalse();
    assertThat(StrictRequests.wellFormedPercentEncoding("/prices/%")).isFalse();
    assertThat(StrictRequests.wellFormedPercentEncoding("/ok%41/%zz")).isFalse();
    assertThat(StrictRequests.wellFormedPercentEncoding("/%٣٣")).as("only ASCII hex digits").isFalse();
  }

  @Test
  void depthCountsBracketsOutsideStringsOnly() {
    assertThat(JsonDepth.exceeds(Buffer.buffer("[".repeat(64) + "]".repeat(64)), 64)).isFalse();
    assertThat(JsonDepth.exceeds(Buffer.buffer("[".repeat(65) + "]".repeat(65)), 64)).isTrue();
    assertThat(JsonDepth.exceeds(Buffer.buffer("{\"a\":" + "[{\"b\":".repeat(40) + "1" + "}]".repeat(40) + "}"), 64)).isTrue();
    assertThat(JsonDepth.exceeds(Buffer.buffer("{\"s\":\"" + "[".repeat(500) + "\\\"" + "{".repeat(500) + "\"}"), 64)).isFalse();
    assertThat(JsonDepth.exceeds(Buffer.buffer("[[[]],[[]],[[]]]"), 2)).isTrue();
    assertThat(JsonDepth.exceeds(Buffer.buffer("[[],[],[]]"), 2)).isFalse();
  }
}
