package dev.footprint.core;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceLauncherTest {

  @Test
  void nettysJfrEventsAreOffUnlessTheCommandLineSaysOtherwise() {
    Properties unset = new Properties();
    ServiceLauncher.applyPropertyDefaults(unset);
    assertThat(unset).containsEntry("io.netty.jfr.enabled", "false");

    Properties asked = new Properties();
    asked.setProperty("io.netty.jfr.enabled", "true");
    ServiceLauncher.applyPropertyDefaults(asked);
    assertThat(asked).containsEntry("io.netty.jfr.enabled", "true");
  }
}
