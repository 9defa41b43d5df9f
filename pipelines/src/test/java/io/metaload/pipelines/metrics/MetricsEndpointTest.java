package io.metaload.pipelines.metrics;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The metrics endpoint listens on this machine only unless an address says otherwise. */
class MetricsEndpointTest {
  @Test
  void byDefaultOnlyThisMachineReachesTheEndpoint() throws Exception {
    InetAddress outside = nonLoopbackAddress();
    Assumptions.assumeTrue(outside != null, "this machine has no address but loopback");
    int port = freePort();
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(port)) {
      try (Socket local = new Socket()) {
        local.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
        assertThat(local.isConnected(), equalTo(true));
      }
      assertThrows(
          IOException.class,
          () -> {
            try (Socket remote = new Socket()) {
              remote.connect(new InetSocketAddress(outside, port), 2_000);
            }
          });
    }
  }

  @Test
  void anAddressOfThisMachineIsServedWhenGiven() throws Exception {
    InetAddress outside = nonLoopbackAddress();
    Assumptions.assumeTrue(outside != null, "this machine has no address but loopback");
    int port = freePort();
    try (MetricsEndpoint endpoint = MetricsEndpoint.start(outside.getHostAddress(), port);
        Socket remote = new Socket()) {
      remote.connect(new InetSocketAddress(outside, port), 2_000);
      assertThat(remote.isConnected(), equalTo(true));
    }
  }

  private static InetAddress nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
