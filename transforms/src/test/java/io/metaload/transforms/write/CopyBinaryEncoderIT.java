package io.metaload.transforms.write;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.metaload.metadata.config.ConnectionSpec;
import io.metaload.metadata.dialect.Dialect;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import io.metaload.testing.TestDatabases;
import io.metaload.transforms.batch.RowBatch;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Decoded rows sent to PostgreSQL as binary COPY tuples land exactly as the same rows sent as COPY
 * text, for every column type with a binary field, and values the server refuses are refused as
 * data errors either way.
 */
class CopyBinaryEncoderIT {
  private static final ConnectionSpec PG = TestDatabases.postgres("metaload_write_it");
  private static final String COLUMNS =
      "(id bigint PRIMARY KEY, i4 integer, i2 smallint, n numeric(30,10), n2 numeric, f8 double precision,"
          + " f4 real, b boolean, t text, vc varchar(20), c char(5), j json, jb jsonb, bin bytea, u uuid, d date, ts timestamp,"
          + " tstz timestamptz, tm time)";

  @Test
  void everyBinaryColumnTypeLandsAsTheSameRowsAsText() throws Exception {
    List<Object[]> rows = new ArrayList<>();
    Object[] nulls = new Object[19];
    nulls[0] = 1L;
    rows.add(nulls);
    rows.add(
        new Object[] {
          Long.MAX_VALUE,
          Integer.MIN_VALUE,
          Short.MAX_VALUE,
          new BigDecimal("-12345678901234567890.0123456789"),
          new BigDecimal("1E+5"),
          Double.NaN,
          Float.NEGATIVE_INFINITY,
          true,
          "tab\t back\\ nl\n cr\r 😀 ü",
          "x",
          "ab",
          "{\"a\": [1, 2]}",
          "{\"b\": 1}",
          new byte[] {0, 1, (byte) 255},
          UUID.fromString("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
          LocalDate.MAX,
          LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_789),
          OffsetDateTime.of(2024, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC),
          LocalTime.of(23, 59, 59, 999_999_000)
        });
    rows.add(
        new Object[] {
          Long.MIN_VALUE,
          Integer.MAX_VALUE,
          Short.MIN_VALUE,
          new BigDecimal("0.0000000001"),
          new BigDecimal("-0.0001"),
          -0.0d,
          3.25f,
          false,
          "",
          "exactly twenty chars",
          "abcde",
          "[]",
          "{\"nested\": {\"k\": [true, null]}}",
          new byte[0],
          UUID.fromString("00000000-0000-0000-0000-000000000000"),
          LocalDate.MIN,
          LocalDateTime.MAX,
          OffsetDateTime.MIN,
          LocalTime.MIDNIGHT
        });
    rows.add(
        new Object[] {
          3L,
          0,
          (short) 0,
          new BigDecimal("99999999999999999999.9999999999"),
          new BigDecimal("123456789.987654321"),
          1.0e308,
          Float.MIN_VALUE,
          true,
          "ascii only",
          "ü",
          "é",
          "1",
          "\"s\"",
          "x".getBytes(StandardCharsets.UTF_8),
          UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
          LocalDate.of(1900, 2, 28),
          LocalDateTime.of(2000, 1, 1, 0, 0),
          OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
          LocalTime.NOON
        });
    for (long i = 4; i < 2_000; i++) {
      rows.add(
          new Object[] {
            i,
            (int) -i,
            (short) (i % 300),
            BigDecimal.valueOf(i * 7919, 4),
            BigDecimal.valueOf(-i, 2),
            i / 3.0,
            (float) i / 7,
            i % 2 == 0,
            "row " + i,
            "v" + i,
            "c" + (i % 100),
            "{\"i\": " + i + "}",
            "[" + i + "]",
            new byte[] {(byte) i},
            new UUID(i, -i),
            LocalDate.of(2020, 1, 1).plusDays(i),
            LocalDateTime.of(1970, 1, 1, 0, 0).plusSeconds(i * 86_399),
            OffsetDateTime.of(2030, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).minusMinutes(i * 61),
            LocalTime.ofSecondOfDay(i * 43)
          });
    }
    StagingTarget binary = table("enc_binary");
    StagingTarget text = table("enc_text");
    ColumnType[] types = binary.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    RowBatch batch = new RowBatch(1, "enc", 0, 1, rows.size(), rows.size(), 0L, types, rows);
    try (Connection c = PG.open()) {
      c.setAutoCommit(false);
      assertThat(new CopyBatchLoader(binary).load(c, batch).rows(), equalTo((long) rows.size()));
      loadAsText(c, text, batch);
      c.commit();
    }
    assertThat(rowsAsText("enc_binary"), equalTo(rowsAsText("enc_text")));
  }

  @Test
  void valuesTheServerRefusesAreRefusedAsDataErrorsAsWithText() throws Exception {
    Object[][] refused = {
      {
        1L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "twenty-one characters",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null
      },
      {
        2L,
        null,
        null,
        new BigDecimal("123456789012345678901"),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null
      },
      {
        3L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "nul\u0000byte",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null
      },
      {
        4L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        LocalDateTime.of(300_000, 1, 1, 0, 0),
        null,
        null
      },
      {
        5L,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "{not json",
        null,
        null,
        null,
        null,
        null,
        null
      },
    };
    StagingTarget binary = table("enc_binary");
    StagingTarget text = table("enc_text");
    ColumnType[] types = binary.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    for (Object[] row : refused) {
      RowBatch batch = new RowBatch(1, "enc", 0, 1, 1, 1, 0L, types, List.<Object[]>of(row));
      String binaryState;
      String textState;
      try (Connection c = PG.open()) {
        c.setAutoCommit(false);
        binaryState =
            assertThrows(SQLException.class, () -> new CopyBatchLoader(binary).load(c, batch))
                .getSQLState();
        c.rollback();
        textState =
            assertThrows(SQLException.class, () -> loadAsText(c, text, batch)).getSQLState();
        c.rollback();
      }
      assertThat("row " + row[0], binaryState.substring(0, 2), equalTo("22"));
      assertThat("row " + row[0], textState.substring(0, 2), equalTo("22"));
      if (row[0].equals(4L)) {
        assertThat(
            "text reads +300000-01-01T00:00 as an offset, binary as a timestamp",
            binaryState,
            equalTo("22008"));
      } else {
        assertThat("row " + row[0], binaryState, equalTo(textState));
      }
    }
  }

  @Test
  void bigintValuesIntoAnIntegerColumnGoAsTextAndTheServerJudgesThem() throws Exception {
    TestDatabases.execute(
        PG, "DROP TABLE IF EXISTS enc_narrow", "CREATE TABLE enc_narrow (id integer PRIMARY KEY)");
    StagingTarget narrow =
        StagingTarget.of(
            PG,
            TableRef.parse("enc_narrow"),
            TableRef.parse("enc_narrow_ledger"),
            List.of(Column.of("id", ColumnType.INTEGER, 0, 0, false, false, "int4")));
    ColumnType[] types = {ColumnType.BIGINT};
    try (Connection c = PG.open()) {
      c.setAutoCommit(false);
      new CopyBatchLoader(narrow)
          .load(
              c,
              new RowBatch(1, "enc", 0, 1, 1, 1, 0L, types, List.<Object[]>of(new Object[] {7L})));
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  new CopyBatchLoader(narrow)
                      .load(
                          c,
                          new RowBatch(
                              1,
                              "enc",
                              0,
                              2,
                              2,
                              1,
                              0L,
                              types,
                              List.<Object[]>of(new Object[] {3_000_000_000L}))));
      assertThat(e.getSQLState(), equalTo("22003"));
      c.rollback();
    }
  }

  private static StagingTarget table(String name) throws SQLException {
    TestDatabases.execute(
        PG, "DROP TABLE IF EXISTS " + name, "CREATE TABLE " + name + " " + COLUMNS);
    try (Connection c = PG.open()) {
      Dialect dialect = Dialect.forUrl(PG.url());
      TableRef ref = dialect.catalog().resolve(c, TableRef.parse(name)).orElseThrow();
      TableSchema schema = dialect.catalog().readSchema(c, ref).orElseThrow();
      return StagingTarget.of(PG, ref, TableRef.parse(name + "_ledger"), schema.columns());
    }
  }

  private static void loadAsText(Connection c, StagingTarget target, RowBatch batch)
      throws SQLException {
    StringBuilder out = new StringBuilder();
    for (Object[] row : batch.rows()) {
      CopyTextEncoder.appendRow(out, batch.types(), row);
    }
    CopyIn copy =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn("COPY " + target.dialect().qualified(target.staging()) + " FROM STDIN");
    byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
    try {
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static List<String> rowsAsText(String table) {
    return TestDatabases.strings(PG, "SELECT t::text FROM " + table + " t ORDER BY id");
  }
}
