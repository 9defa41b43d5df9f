package io.metaload.metadata.schema;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/** One column of a source or target table, as read from the database's catalog. */
@AutoValue
public abstract class Column implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String name();

  public abstract ColumnType type();

  /** Declared length or precision; 0 when the database reports none. */
  public abstract int size();

  public abstract int scale();

  public abstract boolean nullable();

  /** True for fixed-length character columns (CHAR(n)). */
  public abstract boolean fixedLength();

  /**
   * The database's own type name (e.g. {@code int8}, {@code bpchar}); empty when not read from a
   * catalog.
   */
  public abstract String typeName();

  /**
   * True for a PostgreSQL enum: its values are its labels, and its binary COPY form is the label's
   * text, so it moves on the binary read and write paths as text does.
   */
  public abstract boolean pgEnum();

  public static Column of(
      String name, ColumnType type, int size, int scale, boolean nullable, boolean fixedLength) {
    return of(name, type, size, scale, nullable, fixedLength, "");
  }

  public static Column of(
      String name,
      ColumnType type,
      int size,
      int scale,
      boolean nullable,
      boolean fixedLength,
      String typeName) {
    return new AutoValue_Column(
        name, type, size, scale, nullable, fixedLength, typeName == null ? "" : typeName, false);
  }

  /** This column, marked as a PostgreSQL enum ({@link #pgEnum}). */
  public Column asPgEnum() {
    return new AutoValue_Column(
        name(), type(), size(), scale(), nullable(), fixedLength(), typeName(), true);
  }
}
