package dev.footprint.core.config;

/** A configuration variable with a value the service cannot use; the message is one line naming it. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
