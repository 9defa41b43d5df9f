package io.metaload.pipelines;

import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.store.RunLock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's heartbeat while its runs go: every {@link RunLock#HEARTBEAT_EVERY} it refreshes
 * each load's lock and keeps each source snapshot's session alive; closing it stops both.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final ScheduledExecutorService executor;

  private Heartbeat(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  /**
   * Every {@link RunLock#HEARTBEAT_EVERY}: refreshes each lock (a lock held across a swap is
   * refreshed by the swap itself) and keeps each source snapshot's session from timing out while it
   * waits idle in its transaction.
   */
  static Heartbeat start(List<RunLock> locks, List<SourceSnapshot> snapshots) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "metaload-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = RunLock.HEARTBEAT_EVERY.toMillis();
    executor.scheduleAtFixedRate(
        () -> {
          for (RunLock lock : locks) {
            try {
              lock.heartbeat();
            } catch (RuntimeException e) {
              LOG.warn("heartbeat failed: {}", e.getMessage());
            }
          }
          for (SourceSnapshot snapshot : snapshots) {
            snapshot.keepAlive();
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    return new Heartbeat(executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
