package io.metaload.transforms.write;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.metadata.store.BatchRecord;
import io.metaload.testing.TableComparison;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.MetaloadIO;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.batch.RowBatchCoder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Writing the same batch several times, in one run or across runs, leaves staging identical. */
@ExtendWith(TestPipelineExtension.class)
class WriteBatchesReplayIT {
  private static final int ROWS = 2_500;

  @Test
  void replayedBatchLeavesPostgresStagingIdentical(TestPipeline p) throws Exception {
    replayLeavesStagingIdentical(p, TestDatabases.postgres("metaload_write_it"));
  }

  @Test
  void replayedBatchLeavesMariaDbStagingIdentical(TestPipeline p) throws Exception {
    replayLeavesStagingIdentical(p, TestDatabases.mariadb("metaload_write_it"));
  }

  @Test
  void replayedBatchLeavesH2StagingIdentical(TestPipeline p) throws Exception {
    replayLeavesStagingIdentical(p, TestDatabases.h2("write_replay_it"));
  }

  private static void replayLeavesStagingIdentical(TestPipeline p, ConnectionSpec db)
      throws Exception {
    Dialect dialect = Dialect.forUrl(db.url());
    TestDatabases.execute(
        db,
        "DROP TABLE IF EXISTS replay_expected",
        "DROP TABLE IF EXISTS replay_stage",
        dialect.target().dropTableIfExists(TableRef.parse("replay_ledger")),
        "CREATE TABLE replay_expected (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(50), at_time TIMESTAMP(6))",
        "CREATE TABLE replay_stage (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(50), at_time TIMESTAMP(6))",
        dialect.target().createLedger(TableRef.parse("replay_ledger")));
    TableSchema schema;
    TableRef stage;
    TableRef expectedTable;
    try (Connection c = db.open()) {
      stage = dialect.catalog().resolve(c, TableRef.parse("replay_stage")).orElseThrow();
      expectedTable = dialect.catalog().resolve(c, TableRef.parse("replay_expected")).orElseThrow();
      schema = dialect.catalog().readSchema(c, stage).orElseThrow();
    }
    ColumnType[] types = {
      ColumnType.BIGINT, ColumnType.DECIMAL, ColumnType.STRING, ColumnType.TIMESTAMP
    };
    List<Object[]> rows = new ArrayList<>();
    for (long i = 1; i <= ROWS; i++) {
      String note = i % 9 == 0 ? null : "n\\" + i + "\t'x'";
      rows.add(
          new Object[] {
            i,
            new BigDecimal(i).movePointLeft(2),
            note,
            LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i)
          });
    }
    RowBatch batch = new RowBatch(1, "replay", 0, 1, ROWS, ROWS, 0L, types, rows);
    StagingTarget target =
        StagingTarget.of(db, stage, TableRef.parse("replay_ledger"), schema.columns());
    // The expected table is written through the same loader path once, so the comparison checks
    // replays, not encoding.
    StagingTarget expected =
        StagingTarget.of(db, expectedTable, TableRef.parse("replay_ledger_x"), schema.columns());
    TestDatabases.execute(
        db,
        dialect.target().dropTableIfExists(TableRef.parse("replay_ledger_x")),
        dialect.target().createLedger(TableRef.parse("replay_ledger_x")));
    try (Connection c = db.open()) {
      c.setAutoCommit(false);
      BatchLoader.forTarget(expected).load(c, batch);
      c.commit();
    }

    PCollection<BatchRecord> records =
        p.apply(Create.of(batch, batch, batch).withCoder(RowBatchCoder.of()))
            .apply(MetaloadIO.writeBatches().to(target));
    PAssert.that(
            records.apply(MapElements.into(TypeDescriptors.longs()).via(BatchRecord::rowsWritten)))
        .containsInAnyOrder((long) ROWS, (long) ROWS, (long) ROWS);
    p.run().waitUntilFinish();

    assertThat(TestDatabases.count(db, "replay_stage"), equalTo((long) ROWS));
    assertThat(
        TestDatabases.count(db, dialect.qualified(TableRef.parse("replay_ledger"))), equalTo(1L));
    TableComparison.assertSameRows(
        db, "replay_expected", db, "replay_stage", "id, amount, note, at_time", "id");
  }
}
