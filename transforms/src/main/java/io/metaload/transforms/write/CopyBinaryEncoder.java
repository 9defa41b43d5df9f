package io.metaload.transforms.write;

import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.pgbinary.CopyBuffer;
import io.metaload.transforms.pgbinary.PgBinaryField;
import java.util.List;
import java.util.Optional;

/**
 * Renders decoded rows as PostgreSQL binary COPY tuples for a table whose column types all have a
 * {@link PgBinaryField}. The server then reads each value with its type's binary input, which
 * checks ranges, lengths, encoding and constraints as text input does, without parsing text.
 */
final class CopyBinaryEncoder {
  private final PgBinaryField[] fields;

  private CopyBinaryEncoder(PgBinaryField[] fields) {
    this.fields = fields;
  }

  /**
   * An encoder for values of {@code valueTypes} into columns of the PostgreSQL types {@code
   * typeNames} (both in row order), or empty when a column has no binary field that takes its
   * values.
   */
  static Optional<CopyBinaryEncoder> forColumns(List<String> typeNames, ColumnType[] valueTypes) {
    if (typeNames.size() != valueTypes.length) {
      return Optional.empty();
    }
    PgBinaryField[] fields = new PgBinaryField[valueTypes.length];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = PgBinaryField.forTypeName(typeNames.get(i));
      if (fields[i] == null || !fields[i].takes(valueTypes[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(new CopyBinaryEncoder(fields));
  }

  void appendRow(CopyBuffer out, Object[] row) {
    out.writeShort(fields.length);
    for (int c = 0; c < fields.length; c++) {
      if (row[c] == null) {
        out.writeInt(-1);
      } else {
        fields[c].write(out, row[c]);
      }
    }
  }
}
