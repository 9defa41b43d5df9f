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

  public static Column of(String name, ColumnType type, int size, int scale, boolean nullable, boolean fixedLength) {
    return new AutoValue_Column(name, type, size, scale, nullable, fixedLength);
  }
}
