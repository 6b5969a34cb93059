package dev.footprint.model.repository;

import dev.footprint.core.config.Env;

import java.util.LinkedHashSet;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which of the versions on disk to serve, as TensorFlow Serving's model_version_policy says:
 * {@code latest} (the highest), {@code latest:N} (the N highest), {@code all}, or
 * {@code specific:1,3} (exactly those). MODEL_VERSION_POLICY.
 */
public record VersionPolicy(Kind kind, int count, Set<Long> versions) {
  public enum Kind { LATEST, ALL, SPECIFIC }

  public static VersionPolicy latest() {
    return new VersionPolicy(Kind.LATEST, 1, Set.of());
  }

  public static VersionPolicy parse(String variable, String text) {
    String value = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (value.equals("latest")) {
        return latest();
      }
      if (value.startsWith("latest:")) {
        int count = Integer.parseInt(value.substring("latest:".length()).strip());
        if (count >= 1) {
          return new VersionPolicy(Kind.LATEST, count, Set.of());
        }
      } else if (value.equals("all")) {
        return new VersionPolicy(Kind.ALL, 0, Set.of());
      } else if (value.startsWith("specific:")) {
        Set<Long> versions = new LinkedHashSet<>();
        for (String part : value.substring("specific:".length()).split(",")) {
          long version = Long.parseLong(part.strip());
          if (version < 0) {
            throw new NumberFormatException();
          }
          versions.add(version);
        }
        if (!versions.isEmpty()) {
          return new VersionPolicy(Kind.SPECIFIC, versions.size(), Set.copyOf(versions));
        }
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw Env.invalid(variable, text, "latest, latest:<N>, all or specific:<v>[,<v>...]");
  }

  /** The versions to serve among {@code candidates} (loadable versions on disk). */
  public NavigableSet<Long> select(NavigableSet<Long> candidates) {
    return switch (kind) {
      case ALL -> new TreeSet<>(candidates);
      case SPECIFIC -> {
        TreeSet<Long> chosen = new TreeSet<>(candidates);
        chosen.retainAll(versions);
        yield chosen;
      }
      case LATEST -> {
        TreeSet<Long> chosen = new TreeSet<>();
        for (Long version : candidates.descendingSet()) {
          if (chosen.size() == count) {
            break;
          }
          chosen.add(version);
        }
        yield chosen;
      }
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case ALL -> "all";
      case LATEST -> count == 1 ? "latest" : "latest:" + count;
      case SPECIFIC -> "specific:" + String.join(",", versions.stream().sorted().map(String::valueOf).toList());
    };
  }
}
