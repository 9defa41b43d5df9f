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

  private static final byte[] BINARY_HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
  private static final byte[] BINARY_TRAILER = {(byte) 0xFF, (byte) 0xFF};

  private final String sql;

  CopyBatchLoader(StagingTarget target) {
    this.sql = "COPY " + target.dialect().qualified(target.staging()) + " (" + target.dialect().columnList(target.columns())
        + ") FROM STDIN";
  }

  @Override
  public Loaded load(Connection connection, RowBatch batch) throws SQLException {
    if (batch.isCopyBinary()) {
      return loadBinary(connection, batch);
    }
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    try {
      StringBuilder text = new StringBuilder(CHUNK_CHARS + 4096);
      long bytes = 0;
      for (Object[] row : batch.rows()) {
        CopyTextEncoder.appendRow(text, batch.types(), row);
        if (text.length() >= CHUNK_CHARS) {
          bytes += write(copy, text);
        }
      }
      bytes += write(copy, text);
      return Loaded.of(copy.endCopy(), bytes);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Streams binary COPY tuples read from a PostgreSQL source as they are. */
  private Loaded loadBinary(Connection connection, RowBatch batch) throws SQLException {
    CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql + " (FORMAT binary)");
    try {
      byte[] payload = batch.copyBinaryPayload();
      copy.writeToCopy(BINARY_HEADER, 0, BINARY_HEADER.length);
      copy.writeToCopy(payload, 0, payload.length);
      copy.writeToCopy(BINARY_TRAILER, 0, BINARY_TRAILER.length);
      return Loaded.of(copy.endCopy(), BINARY_HEADER.length + payload.length + BINARY_TRAILER.length);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** Sends the text as UTF-8 and empties it; returns the bytes sent. */
  private static long write(CopyIn copy, StringBuilder text) throws SQLException {
    if (text.length() == 0) {
      return 0;
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(bytes, 0, bytes.length);
    text.setLength(0);
    return bytes.length;
  }
}
