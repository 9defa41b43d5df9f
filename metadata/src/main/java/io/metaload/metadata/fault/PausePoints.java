package io.metaload.metadata.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points in a run where a test can stop the process, to kill it there with a real SIGKILL or
 * to change the world before it goes on. Off unless the environment sets {@code METALOAD_PAUSE_AT}
 * (a point name) and {@code METALOAD_PAUSE_DIR} (a directory): the process then writes {@code
 * <dir>/<point>.reached} when a thread reaches the point and blocks every thread that reaches it
 * until {@code <dir>/<point>.continue} exists. {@code METALOAD_PAUSE_SKIP=n} lets the first n
 * arrivals pass. A point may say where it is: the reached file then holds the process id and, on a
 * second line, that detail. Every blocked arrival also appends its process id as a line to {@code
 * <dir>/<point>.arrivals}, so a test can wait for several processes to stand at one point.
 *
 * <p>The points, in the order a run meets them: {@code after-lock}, {@code planning}, {@code
 * run-id-taken} (the run's id allocated, its row not yet written), {@code after-run-row}, {@code
 * staging-created}, {@code batch-read} (a batch fetched from the source, its split-key positions
 * {@code from to} as detail), {@code batch-loaded} (rows in the batch transaction, not committed),
 * {@code batch-committed} (before its protocol row), {@code before-key-build}, {@code
 * during-key-build}, {@code before-swap}, {@code during-swap}, {@code after-swap}, {@code
 * during-cleanup}, {@code before-status}.
 */
public final class PausePoints {
  /** Every point, in the order a run meets them. */
  public static final List<String> NAMES =
      List.of(
          "after-lock",
          "planning",
          "run-id-taken",
          "after-run-row",
          "staging-created",
          "batch-read",
          "batch-loaded",
          "batch-committed",
          "before-key-build",
          "during-key-build",
          "before-swap",
          "during-swap",
          "after-swap",
          "during-cleanup",
          "before-status");

  private static final String POINT = System.getenv("METALOAD_PAUSE_AT");
  private static final String DIR = System.getenv("METALOAD_PAUSE_DIR");
  private static final int SKIP = parseSkip(System.getenv("METALOAD_PAUSE_SKIP"));
  private static final AtomicInteger ARRIVALS = new AtomicInteger();

  private PausePoints() {}

  /** Blocks here if a test asked to pause at {@code point}; returns at once otherwise. */
  public static void reach(String point) {
    reach(point, null);
  }

  /**
   * As {@link #reach(String)}, telling the test {@code detail} (where in the run the point was
   * reached).
   */
  public static void reach(String point, String detail) {
    if (POINT == null || DIR == null || !POINT.equals(point)) {
      return;
    }
    if (ARRIVALS.incrementAndGet() <= SKIP) {
      return;
    }
    Path dir = Path.of(DIR);
    try {
      Path reached = dir.resolve(point + ".reached");
      if (!Files.exists(reached)) {
        Path written =
            dir.resolve(
                point
                    + ".reached."
                    + ProcessHandle.current().pid()
                    + "."
                    + Thread.currentThread().getId()
                    + ".tmp");
        Files.writeString(
            written, ProcessHandle.current().pid() + (detail == null ? "" : "\n" + detail));
        Files.move(written, reached, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.writeString(
          dir.resolve(point + ".arrivals"),
          ProcessHandle.current().pid() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Path resume = dir.resolve(point + ".continue");
      while (!Files.exists(resume)) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int parseSkip(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
