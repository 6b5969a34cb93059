package dev.footprint.core.connection;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** MAX_CONNECTION_AGE_SECONDS as each connection gets it: never past it, spread below it. */
class ConnectionAgeTest {
  @Test
  void eachConnectionsAgeLiesBetweenFourFifthsOfTheMaximumAndTheMaximum() {
    ConnectionGuard guard = new ConnectionGuard(100, 10, 10, 30, null);
    long max = TimeUnit.SECONDS.toNanos(30);
    Set<Long> tenthsOfASecond = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      long age = guard.ageOfNewConnection();
      assertThat(age).isBetween(max * 4 / 5, max);
      tenthsOfASecond.add(TimeUnit.NANOSECONDS.toMillis(age) / 100);
    }
    // 1,000 draws over 6 s: a pool opened at once is closed over seconds, not in one moment.
    assertThat(tenthsOfASecond).as("distinct tenths of a second among the ages").hasSizeGreaterThan(50);
  }

  @Test
  void withoutAMaximumAConnectionIsNeverClosedForItsAge() {
    ConnectionGuard guard = new ConnectionGuard(100, 10, 10, 0, null);
    assertThat(guard.ageOfNewConnection()).isEqualTo(Long.MAX_VALUE);
  }
}
