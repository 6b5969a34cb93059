package dev.footprint.model.repository;

import org.junit.jupiter.api.Test;

import java.util.NavigableSet;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Which loaded versions a poll retires, for each policy, whatever the file system showed. */
class SuccessionTest {
  private static final VersionPolicy LATEST = VersionPolicy.latest();
  private static final VersionPolicy LATEST_2 = VersionPolicy.parse("MODEL_VERSION_POLICY", "latest:2");
  private static final VersionPolicy ALL = VersionPolicy.parse("MODEL_VERSION_POLICY", "all");
  private static final VersionPolicy SPECIFIC = VersionPolicy.parse("MODEL_VERSION_POLICY", "specific:1,2");

  private static NavigableSet<Long> set(long... versions) {
    NavigableSet<Long> set = new TreeSet<>();
    for (long version : versions) {
      set.add(version);
    }
    return set;
  }

  @Test
  void aSuccessorServingRetiresTheVersionItReplaces() {
    assertThat(Succession.retirable(LATEST, set(1, 2), set(2), set(1, 2))).containsExactly(1L);
    assertThat(Succession.retirable(LATEST, set(2), set(2), set(1, 2))).containsExactly(1L);
    assertThat(Succession.retirable(LATEST_2, set(2, 3), set(2, 3), set(1, 2, 3))).containsExactly(1L);
  }

  @Test
  void aRemovedVersionServesUntilTheSuccessorOnDiskIsLoaded() {
    // Version 2 renamed in as 1 is removed: 2 is not loadable before a second poll (or failed to load).
    assertThat(Succession.retirable(LATEST, set(2), set(), set(1))).isEmpty();
    assertThat(Succession.retirable(LATEST_2, set(2, 3), set(2), set(1, 2))).isEmpty();
    assertThat(Succession.retirable(ALL, set(2), set(), set(1))).isEmpty();
    assertThat(Succession.retirable(SPECIFIC, set(2), set(), set(1))).isEmpty();
    // A roll-back: the newest removed, an older one on disk but not loaded yet.
    assertThat(Succession.retirable(LATEST, set(1), set(), set(2))).isEmpty();
  }

  @Test
  void onlyAsManySupersededVersionsStayAsSuccessorsAreAwaited() {
    // latest:2 serving 1 and 2; both removed, 3 and 4 renamed in but not loadable yet: both stay.
    assertThat(Succession.retirable(LATEST_2, set(3, 4), set(), set(1, 2))).isEmpty();
    // 3 loaded, 4 still awaited: the older superseded version goes, the newer one stays for 4.
    assertThat(Succession.retirable(LATEST_2, set(3, 4), set(3), set(1, 2, 3))).containsExactly(1L);
    // A pending version that the policy would not pick anyway keeps nothing.
    assertThat(Succession.retirable(LATEST, set(2, 3), set(3), set(1, 3))).containsExactly(1L);
  }

  @Test
  void aVersionRemovedWhileAnotherServesInItsPlaceRetiresAtOnce() {
    assertThat(Succession.retirable(ALL, set(1), set(1), set(1, 2))).containsExactly(2L);
    assertThat(Succession.retirable(SPECIFIC, set(1, 3), set(1), set(1, 2))).containsExactly(2L);
  }

  @Test
  void withNothingOnDiskToServeTheModelKeepsWhatItServes() {
    // Every folder removed (or the model's folder gone) before the next version is copied in.
    assertThat(Succession.retirable(LATEST, set(), set(), set(1))).isEmpty();
    assertThat(Succession.retirable(LATEST_2, set(), set(), set(1, 2))).isEmpty();
    // Only versions the policy does not serve are left.
    assertThat(Succession.retirable(SPECIFIC, set(3), set(), set(1, 2))).isEmpty();
  }
}
