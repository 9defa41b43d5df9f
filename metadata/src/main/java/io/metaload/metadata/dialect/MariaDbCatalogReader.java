package io.metaload.metadata.dialect;

import io.metaload.metadata.error.MetaloadException;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.schema.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The catalog reading of {@link MariaDbDialect}. */
final class MariaDbCatalogReader extends CatalogReader {
  private static final long serialVersionUID = 1L;

  MariaDbCatalogReader(MariaDbDialect dialect) {
    super(dialect);
  }

  @Override
  protected String catalogFor(Connection connection, TableRef table) throws SQLException {
    return table.schema() == null ? connection.getCatalog() : table.schema();
  }

  @Override
  protected String schemaPatternFor(Connection connection, TableRef table) {
    return null;
  }

  /**
   * The leaf partitions of a partitioned table: its subpartitions where it has them, else its
   * partitions, in their order.
   */
  @Override
  public List<TableRef> sourcePartitions(Connection connection, TableRef table)
      throws SQLException {
    List<TableRef> out = new ArrayList<>();
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT COALESCE(SUBPARTITION_NAME, PARTITION_NAME) FROM "
                + "information_schema.PARTITIONS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND PARTITION_NAME IS NOT NULL "
                + "ORDER BY PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(table.withPartition(rs.getString(1)));
        }
      }
    }
    if (out.isEmpty()) {
      throw MetaloadException.badConfig(
          "strategy 'source' needs a partitioned table; "
              + table
              + " is not partitioned (use strategy 'none', or 'list' or 'range' to cut it)");
    }
    return out;
  }

  @Override
  public String sourcePartitionText(TableRef partition) {
    return partition.partition();
  }

  @Override
  public TableRef sourcePartition(TableRef table, String text) {
    return table.withPartition(text);
  }

  /**
   * {@code BIT(n)} up to 63 bits moves as its unsigned value, a {@code bigint}; {@code BIT(64)} has
   * no signed home and is refused.
   */
  @Override
  protected ColumnType bitStringType(int bits) {
    return bits <= 63 ? ColumnType.BIGINT : null;
  }
}
