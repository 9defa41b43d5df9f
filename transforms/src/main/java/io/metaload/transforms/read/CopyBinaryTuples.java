package io.metaload.transforms.read;

import static io.metaload.transforms.pgbinary.PgBinaryField.readInt;
import static io.metaload.transforms.pgbinary.PgBinaryField.readLong;
import static io.metaload.transforms.pgbinary.PgBinaryField.readShort;

import io.metaload.metadata.plan.ReadUnit;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.SplitKeyType;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's binary COPY tuple format: the tuples' bytes, where each tuple starts, and
 * each tuple's split-key position; as a batch, either the tuples themselves or, given decoders, the
 * rows' values.
 */
final class CopyBinaryTuples implements FetchedBatch {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  /** PostgreSQL's epoch (2000-01-01) in epoch days and epoch microseconds. */
  private static final long PG_EPOCH_DAYS = 10_957;

  private static final long PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400_000_000L;

  private final byte[] data;
  private final int[] starts;
  private final long[] positions;
  private final int rows;

  /** Set to hand the writer decoded rows rather than the tuples. */
  private final ColumnType[] types;

  private final PgBinaryField[] decoders;
  private final String[] names;

  private CopyBinaryTuples(
      byte[] data,
      int[] starts,
      long[] positions,
      int rows,
      ColumnType[] types,
      PgBinaryField[] decoders,
      String[] names) {
    this.data = data;
    this.starts = starts;
    this.positions = positions;
    this.rows = rows;
    this.types = types;
    this.decoders = decoders;
    this.names = names;
  }

  /**
   * The same tuples, turned into decoded rows when they become a batch; {@code names} name the
   * columns in errors.
   */
  CopyBinaryTuples decodedAs(ColumnType[] types, PgBinaryField[] decoders, String[] names) {
    return new CopyBinaryTuples(data, starts, positions, rows, types, decoders, names);
  }

  /** Parses a complete binary COPY stream of {@code length} bytes. */
  static CopyBinaryTuples parse(byte[] stream, int length, int keyIndex, SplitKeyType keyType) {
    if (length < SIGNATURE.length + 8
        || !Arrays.equals(stream, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
      throw new IllegalStateException("not a PostgreSQL binary COPY stream (" + length + " bytes)");
    }
    int at = SIGNATURE.length + 4;
    at += 4 + readInt(stream, at);
    int body = at;
    int[] starts = new int[1024];
    long[] positions = new long[1024];
    int rows = 0;
    while (true) {
      int fields = readShort(stream, at);
      if (fields == -1) {
        break;
      }
      if (rows + 1 >= starts.length) {
        starts = Arrays.copyOf(starts, starts.length * 2);
        positions = Arrays.copyOf(positions, positions.length * 2);
      }
      starts[rows] = at - body;
      at += 2;
      long position = 0;
      for (int f = 0; f < fields; f++) {
        int len = readInt(stream, at);
        at += 4;
        if (f == keyIndex) {
          position = position(stream, at, len, keyType);
        }
        if (len > 0) {
          at += len;
        }
      }
      positions[rows++] = position;
    }
    starts[rows] = at - body;
    return new CopyBinaryTuples(
        Arrays.copyOfRange(stream, body, at), starts, positions, rows, null, null, null);
  }

  private static long position(byte[] b, int at, int len, SplitKeyType type) {
    if (len < 0) {
      throw new IllegalStateException("NULL split key in a COPY row");
    }
    long raw = len == 8 ? readLong(b, at) : len == 4 ? readInt(b, at) : readShort(b, at);
    switch (type) {
      case INTEGER:
        return raw;
      case DATE:
        return raw + PG_EPOCH_DAYS;
      default:
        return raw + PG_EPOCH_MICROS;
    }
  }

  @Override
  public int size() {
    return rows;
  }

  @Override
  public long position(int row) {
    return positions[row];
  }

  @Override
  public FetchedBatch prefix(int n) {
    return n == rows
        ? this
        : new CopyBinaryTuples(data, starts, positions, n, types, decoders, names);
  }

  @Override
  public RowBatch toRowBatch(
      ReadUnit unit, long rangeFrom, long rangeTo, long readStartedMillis, int readRetries) {
    if (decoders != null) {
      return new RowBatch(
          unit.runId(),
          unit.loadName(),
          unit.partitionId(),
          rangeFrom,
          rangeTo - 1,
          rows,
          readStartedMillis,
          types,
          decodeRows(),
          readRetries);
    }
    byte[] payload = starts[rows] == data.length ? data : Arrays.copyOf(data, starts[rows]);
    return RowBatch.copyBinary(
        unit.runId(),
        unit.loadName(),
        unit.partitionId(),
        rangeFrom,
        rangeTo - 1,
        rows,
        readStartedMillis,
        payload,
        readRetries);
  }

  private List<Object[]> decodeRows() {
    List<Object[]> decoded = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      int at = starts[r];
      int fields = readShort(data, at);
      if (fields != decoders.length) {
        throw new IllegalStateException(
            "a COPY tuple has " + fields + " fields, not " + decoders.length);
      }
      at += 2;
      Object[] row = new Object[fields];
      for (int f = 0; f < fields; f++) {
        int len = readInt(data, at);
        at += 4;
        if (len >= 0) {
          try {
            row[f] = decoders[f].decode(data, at, len);
          } catch (RuntimeException e) {
            // Not a wrapper: a failed run reports its innermost cause's message, which must name
            // the column.
            IllegalStateException named =
                new IllegalStateException("column " + names[f] + ": " + e.getMessage());
            named.setStackTrace(e.getStackTrace());
            throw named;
          }
          at += len;
        }
      }
      decoded.add(row);
    }
    return decoded;
  }
}
