package dev.footprint.core.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the service needs before it can really serve. Each part (a model, a price list, the process
 * not shutting down) is a named {@link Check}; the service is ready when every check is up. The
 * readiness endpoint shows each check with the reason it is down.
 */
public final class Readiness {
  private final Map<String, Check> checks = new ConcurrentHashMap<>();
  private final List<HealthChecks> exposedTo = new CopyOnWriteArrayList<>();

  /** A new check, down with {@code reason} until the service says otherwise. */
  public Check register(String name, String reason) {
    Check check = new Check(name, reason);
    if (checks.putIfAbsent(name, check) != null) {
      throw new IllegalStateException("readiness check registered twice: " + name);
    }
    exposedTo.forEach(healthChecks -> expose(check, healthChecks));
    return check;
  }

  /** The check registered as {@code name}. */
  public Check check(String name) {
    Check check = checks.get(name);
    if (check == null) {
      throw new IllegalArgumentException("no readiness check " + name);
    }
    return check;
  }

  public boolean isReady() {
    for (Check check : checks.values()) {
      if (!check.up) {
        return false;
      }
    }
    return true;
  }

  /** Registers every check, now and later, as a procedure of {@code healthChecks}. */
  public void exposeTo(HealthChecks healthChecks) {
    exposedTo.add(healthChecks);
    checks.values().forEach(check -> expose(check, healthChecks));
  }

  private static void expose(Check check, HealthChecks healthChecks) {
    healthChecks.register(check.name, promise -> promise.complete(check.status()));
  }

  /** One part of readiness. Thread-safe: any thread may flip it. */
  public static final class Check {
    private final String name;
    private volatile boolean up;
    private volatile JsonObject details;

    private Check(String name, String reason) {
      this.name = name;
      this.details = new JsonObject().put("reason", reason);
    }

    public String name() {
      return name;
    }

    public boolean isUp() {
      return up;
    }

    public void up(JsonObject details) {
      this.details = details == null ? new JsonObject() : details.copy();
      this.up = true;
    }

    public void down(String reason, JsonObject details) {
      JsonObject copy = details == null ? new JsonObject() : details.copy();
      this.details = copy.put("reason", reason);
      this.up = false;
    }

    public void down(String reason) {
      down(reason, null);
    }

    Status status() {
      JsonObject data = details;
      return up ? Status.OK(data) : Status.KO(data);
    }
  }
}
