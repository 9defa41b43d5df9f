package io.metaload.pipelines;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.store.RunContext;
import io.metaload.transforms.target.Target;
import io.metaload.transforms.target.TargetKinds;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * How far a run has got, from its ledger in the target ({@link Target#committedByPartition}): every
 * batch's ledger row commits with the batch, so the ledger counts what all workers, on any machine,
 * have committed at this moment.
 */
public final class RunProgress {
  private RunProgress() {}

  /**
   * Batches committed, rows written and rows read by them, and partitions whose batches have read
   * all their planned rows ({@code {batches, written, read, partitionsDone}}), or null when the run
   * has no ledger (not prepared yet, or cleaned up after publishing).
   */
  public static long[] committed(ConnectionSpec target, RunContext run) {
    Optional<Map<Integer, long[]>> byPartition =
        TargetKinds.target(target).committedByPartition(run);
    if (byPartition.isEmpty()) {
      return null;
    }
    long[] total = new long[3];
    byPartition.get().values().forEach(c -> Arrays.setAll(total, i -> total[i] + c[i]));
    long done =
        run.plan().partitions().stream()
            .filter(
                p ->
                    byPartition.get().getOrDefault(p.partitionId(), new long[3])[2]
                        >= p.sourceRows())
            .count();
    return new long[] {total[0], total[1], total[2], done};
  }

  /**
   * E.g. {@code progress run 12 load 'orders': 1,234,567 of 5,000,000 rows (24.7%), 310,000 rows/s,
   * about 12 s left, 25 batches}.
   */
  public static String line(
      long runId, String load, long planned, long done, long batches, double rowsPerSecond) {
    String left =
        rowsPerSecond <= 0 || done >= planned
            ? ""
            : String.format(", about %.0f s left", (planned - done) / rowsPerSecond);
    return String.format(
        "progress run %d load '%s': %,d of %,d rows (%.1f%%), %,.0f rows/s%s, %,d batches",
        runId,
        load,
        done,
        planned,
        planned == 0 ? 100.0 : 100.0 * done / planned,
        rowsPerSecond,
        left,
        batches);
  }
}
