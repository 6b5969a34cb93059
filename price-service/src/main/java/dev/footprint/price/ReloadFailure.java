package dev.footprint.price;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/**
 * Why the last reload failed.
 *
 * @param message    one line: what failed
 * @param errors     the line errors of a rejected list; empty when the source could not be read
 * @param stoppedEarly parsing stopped at {@link PriceListParser#MAX_ERRORS}: there are more errors
 * @param listRejected the source delivered a whole list and it was rejected: a verdict on that
 *                     content, which stands while the source says it has not changed; false when
 *                     the source failed to deliver one (unreachable, too slow, cut short, too large)
 */
record ReloadFailure(Instant at, ReloadTrigger trigger, String message, List<LineError> errors, boolean stoppedEarly,
                     boolean listRejected) {
  ReloadFailure {
    errors = List.copyOf(errors);
  }

  boolean rejectedContent() {
    return !errors.isEmpty();
  }

  /** Whether {@code other} reports the same problem, so it need not be logged again. */
  boolean sameProblemAs(ReloadFailure other) {
    return other != null && message.equals(other.message) && errors.equals(other.errors);
  }

  JsonObject toJson() {
    JsonArray lines = new JsonArray();
    errors.forEach(error -> lines.add(error.toJson()));
    JsonObject json = new JsonObject()
        .put("at", at.toString())
        .put("trigger", trigger.label())
        .put("message", message);
    if (!errors.isEmpty()) {
      json.put("errors", lines).put("moreErrors", stoppedEarly);
    }
    return json;
  }
}
