package io.metaload.transforms.write;

import io.metaload.transforms.batch.RowBatch;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** PostgreSQL's bulk path: {@code COPY staging (columns) FROM STDIN}, streamed in 1 MiB chunks. */
final class CopyBatchLoader implements BatchLoader {
  private static final int CHUNK_CHARS = 1 << 20;

  private final String sql;

  CopyBatchLoader(StagingTarget target) {
    this.sql = "COPY " + target.dialect().qualified(target.staging()) + " (" + target.dialect().columnList(target.columns())
        + ") FROM STDIN";
  }

  @Override
  public long load(Connection connection, RowBatch batch) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      StringBuilder text = new StringBuilder(CHUNK_CHARS + 4096);
      for (Object[] row : batch.rows()) {
        CopyTextEncoder.appendRow(text, batch.types(), row);
        if (text.length() >= CHUNK_CHARS) {
          write(copy, text);
        }
      }
      write(copy, text);
      return copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static void write(CopyIn copy, StringBuilder text) throws SQLException {
    if (text.length() > 0) {
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      text.setLength(0);
    }
  }
}
