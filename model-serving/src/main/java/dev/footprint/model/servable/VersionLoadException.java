package dev.footprint.model.servable;

/** A version that cannot be served, with the TensorFlow Serving error code that says why. */
public final class VersionLoadException extends Exception {
  private final String errorCode;

  public VersionLoadException(String errorCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.errorCode = errorCode;
  }

  /** OK's siblings as TensorFlow Serving names them: NOT_FOUND, INVALID_ARGUMENT, DATA_LOSS, ... */
  public String errorCode() {
    return errorCode;
  }
}
