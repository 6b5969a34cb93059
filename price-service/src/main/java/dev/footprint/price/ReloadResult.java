package dev.footprint.price;

import java.time.Instant;

/**
 * One reload's outcome.
 *
 * @param serving the list served after it (null when none was ever loaded)
 * @param failure why it failed, when it did
 */
record ReloadResult(ReloadOutcome outcome, ReloadTrigger trigger, Instant at, LoadedPriceList serving, ReloadFailure failure) {
}
