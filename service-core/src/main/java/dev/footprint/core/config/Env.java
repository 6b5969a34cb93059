package dev.footprint.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed, validated reads of environment variables. Every failure is a {@link ConfigException} whose
 * message names the variable, its value and what was expected, so a bad deployment fails in one line.
 */
public final class Env {
  private final Map<String, String> vars;
  private final Set<String> read = ConcurrentHashMap.newKeySet();

  private Env(Map<String, String> vars) {
    this.vars = Map.copyOf(vars);
  }

  public static Env of(Map<String, String> vars) {
    return new Env(vars);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  /** The raw value, or null when unset or blank. */
  public String raw(String name) {
    read.add(name);
    String value = vars.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  public String string(String name, String fallback) {
    String value = raw(name);
    return value == null ? fallback : value;
  }

  public int integer(String name, int fallback, int min, int max) {
    return (int) longValue(name, fallback, min, max);
  }

  public long longValue(String name, long fallback, long min, long max) {
    String value = raw(name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < min || parsed > max) {
        throw invalid(name, value, "an integer in " + min + ".." + max);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name, value, "an integer in " + min + ".." + max);
    }
  }

  public boolean bool(String name, boolean fallback) {
    String value = raw(name);
    if (value == null) {
      return fallback;
    }
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw invalid(name, value, "true or false");
    };
  }

  public <E extends Enum<E>> E choice(String name, E fallback) {
    Objects.requireNonNull(fallback);
    String value = raw(name);
    if (value == null) {
      return fallback;
    }
    for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
        return constant;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
      allowed.append(allowed.isEmpty() ? "" : "|").append(constant.name().toLowerCase(java.util.Locale.ROOT));
    }
    throw invalid(name, value, "one of " + allowed);
  }

  /** An absolute http or https URL. */
  public URI httpUrl(String name, String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw invalid(name, value, "an absolute http(s) URL");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw invalid(name, value, "an absolute http(s) URL");
    }
  }

  /** Every variable asked for so far: what a service reads, for checks of its deployment's environment. */
  public Set<String> namesRead() {
    return Set.copyOf(read);
  }

  public static ConfigException invalid(String name, String value, String expected) {
    return new ConfigException(name + "=\"" + value + "\" is invalid: expected " + expected);
  }
}
