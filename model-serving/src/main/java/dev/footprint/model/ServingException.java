package dev.footprint.model;

/**
 * A request the server cannot serve, with the HTTP status and the message TensorFlow Serving would
 * give (it maps INVALID_ARGUMENT to 400, NOT_FOUND to 404, UNAVAILABLE to 503). Stackless: it is a
 * normal outcome, thrown per bad request.
 */
public final class ServingException extends RuntimeException {
  private final int status;

  public ServingException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ServingException invalid(String message) {
    return new ServingException(400, message);
  }

  public static ServingException notFound(String message) {
    return new ServingException(404, message);
  }
}
