package dev.footprint.core.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which declared lengths get an exact buffer; the bodies themselves are CoreServerTest's. */
class BodyReaderTest {

  @Test
  void onlyADecimalLengthWithinTheBoundCounts() {
    assertThat(BodyReader.declaresAtMost("0", 1024)).isTrue();
    assertThat(BodyReader.declaresAtMost("20", 1024)).isTrue();
    assertThat(BodyReader.declaresAtMost("1024", 1024)).isTrue();
    assertThat(BodyReader.declaresAtMost("1025", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost("65536", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost("99999999999999999999", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost(null, 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost("", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost("-1", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost("1e3", 1024)).isFalse();
    assertThat(BodyReader.declaresAtMost(" 20", 1024)).isFalse();
  }
}
