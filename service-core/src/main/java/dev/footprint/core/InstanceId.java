package dev.footprint.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who answered: {@code appId} is 8 random hex digits drawn once per process (the contract of the Go
 * service this project replaces), {@code podName} the Kubernetes pod when there is one.
 */
public record InstanceId(String appId, String podName) {

  public static InstanceId random(String podName) {
    byte[] bytes = new byte[4];
    new SecureRandom().nextBytes(bytes);
    return new InstanceId(HexFormat.of().formatHex(bytes), podName);
  }
}
