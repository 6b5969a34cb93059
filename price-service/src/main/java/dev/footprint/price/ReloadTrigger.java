package dev.footprint.price;

import java.util.Locale;

/** Why a reload ran. Forced reloads read the source even when it looks unchanged. */
enum ReloadTrigger {
  START(true), WATCH(false), POLL(false), ADMIN(true);

  private final boolean forced;

  ReloadTrigger(boolean forced) {
    this.forced = forced;
  }

  boolean forced() {
    return forced;
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
