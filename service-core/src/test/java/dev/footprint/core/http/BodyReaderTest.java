package dev.footprint.core.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How a declared length is read (up to 1 KiB it gets an exact buffer); the bodies themselves are CoreServerTest's. */
class BodyReaderTest {

  @Test
  void onlyADecimalLengthOfAtMostNineDigitsIsRead() {
    assertThat(BodyReader.declaredLength("0")).isEqualTo(0L);
    assertThat(BodyReader.declaredLength("20")).isEqualTo(20L);
    assertThat(BodyReader.declaredLength("1024")).isEqualTo(1024L);
    assertThat(BodyReader.declaredLength("1025")).isEqualTo(1025L);
    assertThat(BodyReader.declaredLength("65536")).isEqualTo(65536L);
    assertThat(BodyReader.declaredLength("99999999999999999999")).isEqualTo(-1L);
    assertThat(BodyReader.declaredLength(null)).isEqualTo(-1L);
    assertThat(BodyReader.declaredLength("")).isEqualTo(-1L);
    assertThat(BodyReader.declaredLength("-1")).isEqualTo(-1L);
    assertThat(BodyReader.declaredLength("1e3")).isEqualTo(-1L);
    assertThat(BodyReader.declaredLength(" 20")).isEqualTo(-1L);
  }
}
