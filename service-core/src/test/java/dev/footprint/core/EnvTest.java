package dev.footprint.core;

import dev.footprint.core.config.ConfigException;
import dev.footprint.core.config.CoreConfig;
import dev.footprint.core.config.Env;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    CoreConfig config = CoreConfig.from(Env.of(Map.of()), 8080);
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.shutdownGraceSeconds()).isEqualTo(10);
    assertThat(config.maxBodyBytes()).isEqualTo(262_144);
    assertThat(config.metricsEnabled()).isTrue();
    assertThat(config.podName()).isNull();
  }

  @Test
  void eachVariableIsRead() {
    CoreConfig config = CoreConfig.from(Env.of(Map.ofEntries(
        Map.entry("HTTP_PORT", "9000"), Map.entry("HTTP_HOST", "127.0.0.1"), Map.entry("EVENT_LOOPS", "3"),
        Map.entry("MAX_BODY_BYTES", "1024"), Map.entry("IDLE_TIMEOUT_SECONDS", "5"),
        Map.entry("SHUTDOWN_GRACE_SECONDS", "2"), Map.entry("SHUTDOWN_DELAY_SECONDS", "1"),
        Map.entry("MAX_INFLIGHT_REQUESTS", "7"), Map.entry("MAX_CONNECTIONS", "300"),
        Map.entry("REQUEST_HEADER_TIMEOUT_SECONDS", "4"), Map.entry("REQUEST_BODY_TIMEOUT_SECONDS", "6"),
        Map.entry("MAX_PENDING_BODY_BYTES", "65536"), Map.entry("EVENT_LOOP_STALL_SECONDS", "3"),
        Map.entry("METRICS_ENABLED", "false"),
        Map.entry("HTTP_METRICS", "vertx"), Map.entry("NATIVE_TRANSPORT", "off"),
        Map.entry("WORKER_THREADS", "2"), Map.entry("MAX_CONNECTION_AGE_SECONDS", "40"), Map.entry("WARMUP_SECONDS", "12"), Map.entry("POD_NAME", "pod-1"))), 8080);
    assertThat(config).isEqualTo(new CoreConfig("127.0.0.1", 9000, 3, 1024, 5, 2, 1, 7, 300, 4, 6, 65536, 3, false,
        CoreConfig.HttpMetricsMode.VERTX, false, 2, 40, 12, "pod-1"));
  }

  @Test
  void podNameFallsBackToHostnameOnlyInsideKubernetes() {
    assertThat(CoreConfig.from(Env.of(Map.of("HOSTNAME", "laptop")), 1).podName()).isNull();
    assertThat(CoreConfig.from(Env.of(Map.of("HOSTNAME", "conv-7d9f", "KUBERNETES_SERVICE_HOST", "10.0.0.1")), 1).podName())
        .isEqualTo("conv-7d9f");
  }

  @Test
  void badValuesFailInOneLineNamingTheVariable() {
    assertThatThrownBy(() -> CoreConfig.from(Env.of(Map.of("EVENT_LOOPS", "zero")), 8080))
        .isInstanceOf(ConfigException.class)
        .hasMessage("EVENT_LOOPS=\"zero\" is invalid: expected an integer in 1..1024");
    assertThatThrownBy(() -> CoreConfig.from(Env.of(Map.of("HTTP_PORT", "70000")), 8080))
        .hasMessage("HTTP_PORT=\"70000\" is invalid: expected an integer in 0..65535");
    assertThatThrownBy(() -> CoreConfig.from(Env.of(Map.of("METRICS_ENABLED", "maybe")), 8080))
        .hasMessage("METRICS_ENABLED=\"maybe\" is invalid: expected true or false");
    assertThatThrownBy(() -> CoreConfig.from(Env.of(Map.of("HTTP_METRICS", "fast")), 8080))
        .hasMessage("HTTP_METRICS=\"fast\" is invalid: expected one of lean|vertx");
    assertThatThrownBy(() -> Env.of(Map.of("PRICES_SOURCE", "ftp://x")).httpUrl("PRICES_SOURCE", "ftp://x"))
        .hasMessage("PRICES_SOURCE=\"ftp://x\" is invalid: expected an absolute http(s) URL");
  }

  @Test
  void blankCountsAsUnset() {
    assertThat(CoreConfig.from(Env.of(Map.of("HTTP_PORT", "  ")), 8123).port()).isEqualTo(8123);
  }
}
