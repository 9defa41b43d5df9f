package io.metaload.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.plan.KeyRangeCoverage;
import io.metaload.metadata.plan.PartitionPlan;
import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.plan.split.BoundaryPlanner;
import io.metaload.metadata.plan.split.KeyBoundaries;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.batch.RowBatch;
import java.sql.Connection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.joda.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Splits the reader's restriction at random points while a batch is in flight (between its read and
 * its claims) and processes every residual separately, as a runner would: each source row must come
 * out exactly once.
 */
class ReadBatchesFnSplitTest {
  private static final ConnectionSpec H2 = TestDatabases.h2("read_split_test");
  private static final int ROWS = 3_000;

  @BeforeAll
  static void createTables() {
    TestDatabases.execute(
        H2,
        "DROP TABLE IF EXISTS unique_keys",
        "CREATE TABLE unique_keys (id BIGINT PRIMARY KEY, payload VARCHAR(20))",
        "INSERT INTO unique_keys SELECT X * 3 - 1000, CONCAT('row ', X) FROM SYSTEM_RANGE(1, "
            + ROWS
            + ")",
        "DROP TABLE IF EXISTS repeated_keys",
        "CREATE TABLE repeated_keys (id BIGINT PRIMARY KEY, k BIGINT NOT NULL)",
        // keys repeat 1-4 times, and key 500 holds 60 rows: more than a batch.
        "INSERT INTO repeated_keys SELECT X, CASE WHEN X BETWEEN 1500 AND 1559 THEN 500 ELSE X / (1 + MOD(X, 4)) END FROM SYSTEM_RANGE(1, "
            + ROWS
            + ")",
        "DROP TABLE IF EXISTS string_keys",
        "CREATE TABLE string_keys (code VARCHAR(20) PRIMARY KEY, id BIGINT NOT NULL)",
        "INSERT INTO string_keys SELECT CONCAT(CASE MOD(X, 3) WHEN 0 THEN 'a' WHEN 1 THEN 'B' ELSE '' END, X * 7919 % 10007), X "
            + "FROM SYSTEM_RANGE(1, "
            + ROWS
            + ")",
        "DROP TABLE IF EXISTS repeated_strings",
        "CREATE TABLE repeated_strings (id BIGINT PRIMARY KEY, code VARCHAR(20) NOT NULL)",
        // one value holds 400 rows: far more than a batch, cut by the primary key.
        "INSERT INTO repeated_strings SELECT X, CASE WHEN X BETWEEN 1000 AND 1399 THEN 'hot' ELSE CONCAT('k', MOD(X, 97)) END "
            + "FROM SYSTEM_RANGE(1, "
            + ROWS
            + ")");
  }

  @Test
  void splitAnywhereEmitsEachRowOnceWithAStringKey() throws Exception {
    SourceSpec spec = ordinalSpec("STRING_KEYS", "CODE", 20);
    for (long seed = 0; seed < 25; seed++) {
      List<Long> ids = readWithRandomSplits(spec, seed, 1);
      assertThat("seed " + seed, ids, equalTo(expectedIds("STRING_KEYS")));
    }
  }

  @Test
  void splitAnywhereEmitsEachRowOnceWithARepeatedStringKeyCutByThePrimaryKey() throws Exception {
    SourceSpec spec = ordinalSpec("REPEATED_STRINGS", "CODE", 20);
    assertThat(spec.keyBoundaries().columns().size(), equalTo(2));
    for (long seed = 0; seed < 25; seed++) {
      List<Long> ids = readWithRandomSplits(spec, seed, 0);
      assertThat("seed " + seed, ids, equalTo(expectedIds("REPEATED_STRINGS")));
    }
    List<RowBatch> batches = new ArrayList<>();
    ReadBatchesFn fn = new ReadBatchesFn(spec);
    ReadUnit unit = ordinalUnit(spec);
    fn.process(unit, new OffsetRangeTracker(fn.initialRestriction(unit)), collector(batches));
    fn.teardown();
    for (RowBatch b : batches) {
      assertThat(b.toString(), b.rows().size(), equalTo(20));
    }
    assertThat(batches.size(), equalTo(ROWS / 20));
  }

  @Test
  void splitMidBatchEmitsEachRowOnceWithAUniqueKey() throws Exception {
    for (long seed = 0; seed < 25; seed++) {
      List<Long> ids = readWithRandomSplits(spec("UNIQUE_KEYS", "ID", true, 50), seed);
      assertThat("seed " + seed, ids, equalTo(expectedIds("UNIQUE_KEYS")));
    }
  }

  @Test
  void splitMidBatchEmitsEachRowOnceWithARepeatedKey() throws Exception {
    for (long seed = 0; seed < 25; seed++) {
      List<Long> ids = readWithRandomSplits(spec("REPEATED_KEYS", "K", false, 40), seed);
      assertThat("seed " + seed, ids, equalTo(expectedIds("REPEATED_KEYS")));
    }
  }

  @Test
  void batchesNeverExceedTheBatchSizeExceptForASingleOversizedKey() throws Exception {
    SourceSpec spec = spec("REPEATED_KEYS", "K", false, 40);
    List<RowBatch> batches = new ArrayList<>();
    ReadBatchesFn fn = new ReadBatchesFn(spec);
    ReadUnit unit = unit(spec);
    fn.process(unit, new OffsetRangeTracker(fn.initialRestriction(unit)), collector(batches));
    fn.teardown();
    for (RowBatch b : batches) {
      if (b.firstKey() != b.lastKey()) {
        assertThat(b.toString(), b.rows().size(), lessThanOrEqualTo(40));
      }
    }
    long rowsWithKey500;
    try (Connection c = H2.open();
        var rs =
            c.createStatement().executeQuery("SELECT COUNT(*) FROM repeated_keys WHERE k = 500")) {
      rs.next();
      rowsWithKey500 = rs.getLong(1);
    }
    assertThat(rowsWithKey500, greaterThan(40L));
    RowBatch oversized =
        batches.stream().filter(b -> b.firstKey() == 500).findFirst().orElseThrow();
    assertThat(oversized.lastKey(), equalTo(500L));
    assertThat((long) oversized.rows().size(), equalTo(rowsWithKey500));
  }

  private static List<Long> readWithRandomSplits(SourceSpec spec, long seed) throws Exception {
    return readWithRandomSplits(spec, seed, 0);
  }

  /**
   * Processes the unit, splitting at a random fraction during random claims, until no residual
   * remains.
   */
  private static List<Long> readWithRandomSplits(SourceSpec spec, long seed, int idIndex)
      throws Exception {
    Random random = new Random(seed);
    ReadBatchesFn fn = new ReadBatchesFn(spec);
    ReadUnit unit = spec.keyBoundaries() == null ? unit(spec) : ordinalUnit(spec);
    List<RowBatch> batches = new ArrayList<>();
    Deque<OffsetRange> pending = new ArrayDeque<>(List.of(fn.initialRestriction(unit)));
    int splits = 0;
    while (!pending.isEmpty()) {
      SplittingTracker tracker = new SplittingTracker(pending.pop(), random);
      fn.process(unit, tracker, collector(batches));
      tracker.checkDone();
      if (tracker.residual != null) {
        pending.push(tracker.residual);
        splits++;
      }
    }
    fn.teardown();
    assertThat("seed " + seed + " split nothing", splits, greaterThan(0));
    List<long[]> ranges = new ArrayList<>();
    batches.forEach(b -> ranges.add(new long[] {b.firstKey(), b.lastKey()}));
    PartitionPlan whole = PartitionPlan.of(0, "all", null, unit.keyFrom(), unit.keyTo(), 0);
    KeyRangeCoverage coverage = KeyRangeCoverage.of(whole, ranges);
    assertThat(
        "seed " + seed + ": ranges read twice",
        KeyRangeCoverage.describe(coverage.overlaps()),
        equalTo(""));
    if (spec.keyBoundaries() != null) {
      assertThat(
          "seed " + seed + ": sub-ranges never read",
          KeyRangeCoverage.describe(coverage.gaps()),
          equalTo(""));
    }
    for (long[] gap : coverage.gaps()) {
      assertThat(
          "seed " + seed + ": rows in the unread keys " + gap[0] + " to " + gap[1],
          rowsBetween(spec, gap[0], gap[1]),
          equalTo(0L));
    }
    List<Long> ids = new ArrayList<>();
    for (RowBatch b : batches) {
      for (Object[] row : b.rows()) {
        ids.add((Long) row[idIndex]);
      }
    }
    Collections.sort(ids);
    return ids;
  }

  private static long rowsBetween(SourceSpec spec, long first, long last) throws Exception {
    String key = spec.columns().get(spec.splitKeyIndex()).name();
    try (Connection c = H2.open();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT COUNT(*) FROM "
                        + spec.table()
                        + " WHERE "
                        + key
                        + " BETWEEN "
                        + first
                        + " AND "
                        + last)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<Long> expectedIds(String table) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = H2.open();
        var rs = c.createStatement().executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static SourceSpec spec(String table, String key, boolean unique, int batchSize)
      throws Exception {
    Dialect dialect = Dialect.forUrl(H2.url());
    TableRef ref = TableRef.parse(table);
    TableSchema schema;
    try (Connection c = H2.open()) {
      schema = dialect.catalog().readSchema(c, ref).orElseThrow();
    }
    assertThat(schema.isSingleColumnKey(key), equalTo(unique));
    return SourceSpec.of(
        H2,
        dialect,
        ref,
        schema.columns(),
        schema.indexOf(key),
        SplitKeyType.INTEGER,
        unique,
        null,
        batchSize,
        16);
  }

  /**
   * A string key planned as the run planner would: sub-ranges of {@code batchSize} rows, ties
   * broken by the primary key.
   */
  private static SourceSpec ordinalSpec(String table, String key, int batchSize) throws Exception {
    Dialect dialect = Dialect.forUrl(H2.url());
    TableRef ref = TableRef.parse(table);
    try (Connection c = H2.open()) {
      TableSchema schema = dialect.catalog().readSchema(c, ref).orElseThrow();
      List<Column> order = new ArrayList<>(List.of(schema.column(key).orElseThrow()));
      boolean unique = schema.isSingleColumnKey(key);
      if (!unique) {
        order.add(schema.column(schema.primaryKey().get(0)).orElseThrow());
      }
      List<List<String>> cuts =
          new BoundaryPlanner(c, dialect, ref, order, unique)
              .boundaries(" WHERE 1 = 1", ps -> 1, ROWS, batchSize);
      return SourceSpec.of(
              H2,
              dialect,
              ref,
              schema.columns(),
              schema.indexOf(key),
              SplitKeyType.ORDINAL,
              unique,
              null,
              batchSize,
              16)
          .withKeyBoundaries(KeyBoundaries.of(order, Map.of(0, cuts)));
    }
  }

  private static ReadUnit ordinalUnit(SourceSpec spec) {
    return ReadUnit.of(1, "test", 0, 0, null, 0, spec.keyBoundaries().subRanges(0), ROWS);
  }

  private static ReadUnit unit(SourceSpec spec) throws Exception {
    String key = spec.columns().get(spec.splitKeyIndex()).name();
    try (Connection c = H2.open();
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT MIN("
                        + key
                        + "), MAX("
                        + key
                        + ") + 1, COUNT(*) FROM "
                        + spec.table())) {
      rs.next();
      return ReadUnit.of(1, "test", 0, 0, null, rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  static OutputReceiver<RowBatch> collector(List<RowBatch> sink) {
    return new OutputReceiver<RowBatch>() {
      @Override
      public void output(RowBatch output) {
        sink.add(output);
      }

      @Override
      public void outputWithTimestamp(RowBatch output, Instant timestamp) {
        sink.add(output);
      }

      @Override
      public org.apache.beam.sdk.values.OutputBuilder<RowBatch> builder(RowBatch value) {
        throw new UnsupportedOperationException("the reader only calls output()");
      }
    };
  }

  /**
   * Delegates to an OffsetRangeTracker and, at a random claim, splits the remainder at a random
   * fraction.
   */
  private static final class SplittingTracker extends RestrictionTracker<OffsetRange, Long> {
    private final OffsetRangeTracker delegate;
    private final Random random;
    private final int splitAtClaim;
    private int claims;
    OffsetRange residual;

    SplittingTracker(OffsetRange range, Random random) {
      this.delegate = new OffsetRangeTracker(range);
      this.random = random;
      this.splitAtClaim = 1 + random.nextInt(120);
    }

    @Override
    public boolean tryClaim(Long position) {
      if (++claims == splitAtClaim && residual == null) {
        SplitResult<OffsetRange> split = delegate.trySplit(random.nextDouble());
        if (split != null) {
          residual = split.getResidual();
        }
      }
      return delegate.tryClaim(position);
    }

    @Override
    public OffsetRange currentRestriction() {
      return delegate.currentRestriction();
    }

    @Override
    public SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
      return delegate.trySplit(fractionOfRemainder);
    }

    @Override
    public void checkDone() throws IllegalStateException {
      delegate.checkDone();
    }

    @Override
    public IsBounded isBounded() {
      return IsBounded.BOUNDED;
    }
  }
}
