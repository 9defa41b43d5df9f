package io.metaload.metadata.plan;

import com.google.auto.value.AutoValue;
import io.metaload.metadata.schema.TableRef;
import io.metaload.metadata.schema.TableSchema;
import java.util.Optional;

/**
 * What planning asks of a load's target: whether the table the load names exists and with which
 * columns, whether a full load may replace it, how a new table and its columns are named, and what
 * the load last published into it. Each kind of target answers for itself; the relational databases
 * through {@link JdbcTargetCatalog}.
 */
public interface TargetCatalog {
  /** The table {@code named} resolves to, with its columns and key, if it exists. */
  Optional<Existing> find(TableRef named);

  /**
   * Why a full load may not replace the rows of {@code table} (an existing table), if it may not.
   */
  Optional<String> swapRefusal(TableRef table);

  /** The name a new table named {@code named} in the load gets. */
  TableRef newTable(TableRef named);

  /** The name a new table's column named {@code name} in the source gets. */
  String newColumnName(String name);

  /**
   * The latest publication of load {@code load} into the table {@code named} resolves to; empty
   * when the table or its publications do not exist.
   */
  Optional<PublishedWatermark.Latest> latestPublication(TableRef named, String load);

  /** An existing target table: its name as the target spells it, and its columns and key. */
  @AutoValue
  abstract class Existing {
    public abstract TableRef table();

    public abstract TableSchema schema();

    public static Existing of(TableRef table, TableSchema schema) {
      return new AutoValue_TargetCatalog_Existing(table, schema);
    }
  }
}
