package io.metaload.metadata.dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** PostgreSQL's {@code pg_export_snapshot()} and {@code SET TRANSACTION SNAPSHOT}. */
final class PostgresSnapshots implements SharedSnapshots {
  private static final long serialVersionUID = 1L;
  private static final Pattern ID = Pattern.compile("[0-9A-Fa-f]+-[0-9A-Fa-f]+(-[0-9]+)?");

  @Override
  public String export(Connection holder) throws SQLException {
    holder.setAutoCommit(false);
    holder.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement s = holder.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_export_snapshot()")) {
      rs.next();
      return checkedId(rs.getString(1));
    }
  }

  @Override
  public void importInto(Connection reader, String id) throws SQLException {
    reader.setAutoCommit(false);
    reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try (Statement s = reader.createStatement()) {
      s.execute("SET TRANSACTION SNAPSHOT '" + checkedId(id) + "'");
    }
  }

  private static String checkedId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("not a PostgreSQL snapshot id: " + id);
    }
    return id;
  }
}
