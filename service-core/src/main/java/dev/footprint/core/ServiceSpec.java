package dev.footprint.core;

import dev.footprint.core.config.Env;

import java.util.function.Function;

/**
 * A service as the launcher sees it: its name (logs, metrics, health), the port it listens on unless
 * HTTP_PORT says otherwise, and how to build it from the environment (throwing
 * {@link dev.footprint.core.config.ConfigException} for a bad variable).
 */
public record ServiceSpec(String name, int defaultPort, Function<Env, HttpService> factory) {
}
