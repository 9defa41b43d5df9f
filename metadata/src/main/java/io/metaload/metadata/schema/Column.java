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

  /** The database's own type name (e.g. {@code int8}, {@code bpchar}); empty when not read from a catalog. */
  public abstract String typeName();

  public static Column of(String name, ColumnType type, int size, int scale, boolean nullable, boolean fixedLength) {
    return of(name, type, size, scale, nullable, fixedLength, "");
  }

  public static Column of(String name, ColumnType type, int size, int scale, boolean nullable, boolean fixedLength, String typeName) {
    return new AutoValue_Column(name, type, size, scale, nullable, fixedLength, typeName == null ? "" : typeName);
  }
}
