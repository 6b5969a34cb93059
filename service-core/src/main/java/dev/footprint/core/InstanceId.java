package dev.footprint.core;

import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Who answered: {@code appId} is 8 random hex digits drawn once per process (the contract of the Go
 * service this project replaces), {@code podName} the Kubernetes pod when there is one.
 */
public record InstanceId(String appId, String podName) {

  /**
   * A fresh id. Not SecureRandom: its provider set-up costs 20 to 40 ms of every start, and an id that
   * tells replicas apart needs no secrecy; the seed mixes the clock, the process id and the host.
   */
  public static InstanceId random(String podName) {
    long seed = System.nanoTime() ^ System.currentTimeMillis() * 0x9E3779B97F4A7C15L
        ^ ProcessHandle.current().pid() << 32 ^ String.valueOf(System.getenv("HOSTNAME")).hashCode();
    int id = new SplittableRandom(seed).nextInt();
    return new InstanceId(HexFormat.of().toHexDigits(id), podName);
  }
}
