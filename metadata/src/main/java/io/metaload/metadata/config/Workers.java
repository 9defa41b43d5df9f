package io.metaload.metadata.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Names the process this code runs in, as {@code host:pid}, for the batch protocol and error
 * messages.
 */
public final class Workers {
  private static final String IDENTITY = host() + ":" + ProcessHandle.current().pid();

  private Workers() {}

  /** This JVM: the launcher, or the Flink TaskManager that runs a task. */
  public static String identity() {
    return IDENTITY;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
