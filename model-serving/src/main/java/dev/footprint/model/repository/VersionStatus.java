package dev.footprint.model.repository;

/**
 * One version's entry in the status API, with TensorFlow Serving's states (START, LOADING,
 * AVAILABLE, UNLOADING, END) and error codes (OK, NOT_FOUND, INVALID_ARGUMENT, ...).
 */
public record VersionStatus(long version, State state, String errorCode, String errorMessage) {
  public enum State { START, LOADING, AVAILABLE, UNLOADING, END }

  static VersionStatus ok(long version, State state) {
    return new VersionStatus(version, state, "OK", "");
  }

  static VersionStatus failed(long version, String errorCode, String message) {
    return new VersionStatus(version, State.END, errorCode, message);
  }
}
