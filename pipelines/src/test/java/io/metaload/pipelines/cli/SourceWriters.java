package io.metaload.pipelines.cli;

import io.metaload.metadata.config.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writers that keep inserting into a source table while delta runs go by, as an application would:
 * each in its own session, one row per transaction, some transactions held open for a few tens of
 * milliseconds before they commit, a new one every few tens of milliseconds. The row's delta value
 * is whatever {@code insert} stamps it with (the source's clock, a sequence).
 */
final class SourceWriters implements AutoCloseable {
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stop;

  /**
   * Starts {@code count} writers, each running {@code insert} (one INSERT statement) per
   * transaction.
   */
  static SourceWriters start(ConnectionSpec source, int count, String insert) {
    SourceWriters w = new SourceWriters();
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> w.write(source, insert), "source-writer-" + i);
      t.setDaemon(true);
      w.threads.add(t);
      t.start();
    }
    return w;
  }

  private void write(ConnectionSpec source, String insert) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Connection c = source.open();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      while (!stop) {
        s.execute(insert);
        Thread.sleep(random.nextInt(40));
        c.commit();
        committed.incrementAndGet();
        Thread.sleep(5 + random.nextInt(20));
      }
    } catch (SQLException | RuntimeException e) {
      failure.compareAndSet(null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Rows committed so far. */
  long committed() {
    return committed.get();
  }

  /** Stops every writer after its current transaction and fails if one of them failed. */
  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a source writer failed", failure.get());
    }
  }
}
