package io.metaload.transforms.read;

import io.metaload.metadata.plan.SourceSnapshot;
import io.metaload.metadata.plan.split.KeyBoundaries;
import io.metaload.metadata.plan.split.KeyRangeSql;
import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import javax.annotation.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Reads a PostgreSQL source with keyset queries run as {@code COPY (SELECT ...) TO STDOUT (FORMAT
 * binary)}. For pass-through to a PostgreSQL target it keeps the rows in the binary tuple format,
 * reading only each tuple's length and split key, and the writer streams the same bytes into {@code
 * COPY ... FROM STDIN (FORMAT binary)}. Otherwise ({@link SourceSpec.ReadPath#COPY_DECODED}) it
 * decodes the claimed tuples' values itself ({@link PgBinaryField}).
 *
 * <p>COPY takes no bind parameters, so the query's literals are split-key positions, numeric
 * partition values and, for an ordinal key, the plan's boundary values rendered by {@link
 * io.metaload.metadata.dialect.Dialect#keyLiteral} (PostgreSQL's escape strings) that mean exactly
 * their text ({@link CopyPassThrough} only chooses this reader for such predicates).
 */
final class CopyBinaryReader implements BatchSource {
  private final SourceSpec spec;
  private final Connection connection;
  private final CopyManager copy;
  private final String key;
  private final Buffer buffer = new Buffer();
  private final KeyRangeSql subRangeSql;

  /** The decoders of the columns for {@link SourceSpec.ReadPath#COPY_DECODED}, else null. */
  private final PgBinaryField[] decoders;

  private final ColumnType[] types;
  private final String[] names;

  CopyBinaryReader(SourceSpec spec, Connection connection) throws SQLException {
    this.spec = spec;
    this.connection = connection;
    if (spec.snapshotId() == null) {
      connection.setAutoCommit(true);
    } else {
      SourceSnapshot.importInto(spec.dialect(), connection, spec.snapshotId());
    }
    this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
    this.key = spec.dialect().quote(spec.columns().get(spec.splitKeyIndex()).name());
    this.subRangeSql =
        spec.keyBoundaries() == null
            ? null
            : new KeyRangeSql(spec.dialect(), spec.keyBoundaries().columns());
    this.types = spec.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    this.names = spec.columns().stream().map(Column::name).toArray(String[]::new);
    this.decoders =
        spec.readPath() != SourceSpec.ReadPath.COPY_DECODED
            ? null
            : PgBinaryField.forColumns(spec.columns())
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the columns of "
                                + spec.table()
                                + " cannot all be decoded from binary COPY"));
  }

  @Override
  public FetchedBatch readRange(@Nullable String partitionValue, long from, long to)
      throws SQLException {
    return run(
        select(partitionValue)
            + partitionPredicate(partitionValue)
            + key
            + " >= "
            + literal(from)
            + " AND "
            + key
            + " < "
            + literal(to)
            + " ORDER BY "
            + key
            + spec.dialect().firstRows(spec.batchSize()));
  }

  @Override
  public FetchedBatch readKey(@Nullable String partitionValue, long position) throws SQLException {
    return run(
        select(partitionValue)
            + partitionPredicate(partitionValue)
            + key
            + " = "
            + literal(position));
  }

  @Override
  public FetchedBatch readSubRange(@Nullable String partitionValue, int partitionId, long position)
      throws SQLException {
    KeyBoundaries boundaries = spec.keyBoundaries();
    String range =
        subRangeSql.literalPredicate(
            boundaries.low(partitionId, position),
            boundaries.high(partitionId, position),
            (column, value) -> spec.dialect().keyLiteral(column.type(), value));
    return run(
        select(partitionValue)
            + partitionPredicate(partitionValue)
            + range
            + boundaries.orderByClause(subRangeSql),
        -1);
  }

  /** {@code SELECT columns FROM table WHERE }, for the unit's table or partition. */
  private String select(@Nullable String partitionValue) {
    return "SELECT "
        + spec.dialect().columnList(spec.columns())
        + " FROM "
        + spec.dialect().qualified(spec.relation(partitionValue))
        + " WHERE ";
  }

  private String partitionPredicate(@Nullable String value) {
    if (spec.partitionColumn() == null) {
      return "";
    }
    Object parsed = spec.partitionColumn().type().parse(value);
    String literal =
        parsed instanceof BigDecimal ? ((BigDecimal) parsed).toPlainString() : parsed.toString();
    return spec.dialect().quote(spec.partitionColumn().name()) + " = " + literal + " AND ";
  }

  private String literal(long position) {
    SplitKeyType type = spec.splitKeyType();
    switch (type) {
      case INTEGER:
        return Long.toString(position);
      case DATE:
        return "DATE '" + (LocalDate) type.fromPosition(position) + "'";
      case TIMESTAMP:
        return "TIMESTAMP '" + (LocalDateTime) type.fromPosition(position) + "'";
      default:
        return "TIMESTAMPTZ '" + type.fromPosition(position) + "'";
    }
  }

  private FetchedBatch run(String query) throws SQLException {
    return run(query, spec.splitKeyIndex());
  }

  /**
   * Runs a query; {@code keyIndex} -1 reads no positions (an ordinal sub-range has one position for
   * all its rows).
   */
  private FetchedBatch run(String query, int keyIndex) throws SQLException {
    buffer.reset();
    try {
      copy.copyOut("COPY (" + query + ") TO STDOUT (FORMAT binary)", buffer);
    } catch (IOException e) {
      throw new SQLException("reading COPY output failed: " + e.getMessage(), "08006", e);
    }
    CopyBinaryTuples tuples =
        CopyBinaryTuples.parse(buffer.bytes(), buffer.size(), keyIndex, spec.splitKeyType());
    return decoders == null ? tuples : tuples.decodedAs(types, decoders, names);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  /** A reusable growable buffer that hands out its array without copying. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(1 << 20);
    }

    byte[] bytes() {
      return buf;
    }
  }
}
