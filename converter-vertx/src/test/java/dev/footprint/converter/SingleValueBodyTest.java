package dev.footprint.converter;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Which bodies the converter reads without a JSON tree, and which it leaves to the full reader (NaN). */
class SingleValueBodyTest {
  private static double read(String body) {
    return SingleValueBody.fahrenheit(Buffer.buffer(body));
  }

  @Test
  void readsTheLoneFieldsNumber() {
    assertThat(read("{\"fahrenheit\": 98.6}")).isEqualTo(98.6);
    assertThat(read(" {\"fahrenheit\":-40}\n")).isEqualTo(-40.0);
    assertThat(read("{ \"fahrenheit\" : 1.5E+2 }")).isEqualTo(150.0);
    assertThat(read("{\"fahrenheit\": 12345678901234567890}")).isEqualTo(1.2345678901234567e19);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "{}", "{\"fahrenheit\": [1]}", "{\"fahrenheit\": \"1\"}", "{\"fahrenheit\": 1, \"x\": 2}",
      "{\"fahrenheit\": 01}", "{\"fahrenheit\": 1.}", "{\"fahrenheit\": .5}", "{\"fahrenheit\": +1}",
      "{\"fahrenheit\": 1e}", "{\"fahrenheit\": NaN}", "{\"fahrenheit\": 2e308}", "{\"fahr\\u0065nheit\": 1}",
      "{\"fahrenheit\": 1", "{\"fahrenheit\": 1}}", "[{\"fahrenheit\": 1}]", "{\"Fahrenheit\": 1}", "{\"fahrenheit\" 1}",
  })
  void leavesEverythingElseToTheFullReader(String body) {
    assertThat(read(body)).as(body).isNaN();
  }

  @Test
  void leavesNumbersLongerThanAHundredCharactersToTheFullReader() {
    assertThat(read("{\"fahrenheit\": 1." + "0".repeat(98) + "}")).isEqualTo(1.0);
    assertThat(read("{\"fahrenheit\": 1." + "0".repeat(99) + "}")).isNaN();
  }
}
