package io.metaload.transforms.write;

import io.metaload.metadata.schema.Column;
import io.metaload.metadata.schema.ColumnType;
import io.metaload.transforms.batch.RowBatch;
import io.metaload.transforms.pgbinary.CopyBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * PostgreSQL's bulk path: {@code COPY staging (columns) FROM STDIN}, streamed in 1 MiB chunks.
 * Binary COPY tuples from a PostgreSQL source go through as they are; decoded rows go in binary
 * format when the staging table's column types all have one ({@link CopyBinaryEncoder}), else as
 * text.
 */
final class CopyBatchLoader implements BatchLoader {
  private static final int CHUNK_CHARS = 1 << 20;

  /**
   * Each column's type, a domain's by the type under it and under any domain it is over (the server
   * reads a domain with that type's binary input, then checks it); an enum's as text, the binary
   * form the server reads an enum label in.
   */
  private static final String STAGING_TYPES =
      "SELECT a.attname, (WITH RECURSIVE d(oid, typtype, typbasetype, typname) AS ("
          + "SELECT t.oid, t.typtype, t.typbasetype, t.typname FROM pg_type t WHERE t.oid = a.atttypid UNION ALL "
          + "SELECT b.oid, b.typtype, b.typbasetype, b.typname FROM pg_type b JOIN d ON b.oid = d.typbasetype WHERE d.typtype = 'd') "
          + "SELECT CASE WHEN typtype = 'e' THEN 'text' ELSE typname END FROM d WHERE typtype <> 'd' LIMIT 1)"
          + " FROM pg_attribute a WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped";

  private static final byte[] BINARY_HEADER = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0
  };
  private static final byte[] BINARY_TRAILER = {(byte) 0xFF, (byte) 0xFF};

  private final StagingTarget target;
  private final String sql;
  private List<String> stagingTypes;
  private ColumnType[] encodedTypes;
  private Optional<CopyBinaryEncoder> encoder;
  private CopyBuffer buffer;

  CopyBatchLoader(StagingTarget target) {
    this.target = target;
    this.sql =
        "COPY "
            + target.dialect().qualified(target.staging())
            + " ("
            + target.dialect().columnList(target.columns())
            + ") FROM STDIN";
  }

  @Override
  public Loaded load(Connection connection, RowBatch batch) throws SQLException {
    if (batch.isCopyBinary()) {
      return loadBinary(connection, batch);
    }
    if (stagingTypes == null) {
      stagingTypes = stagingTypes(connection);
    }
    if (!Arrays.equals(encodedTypes, batch.types())) {
      encodedTypes = batch.types().clone();
      encoder = CopyBinaryEncoder.forColumns(stagingTypes, encodedTypes);
    }
    if (encoder.isPresent()) {
      return loadEncoded(connection, batch, encoder.get());
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

  private Loaded loadEncoded(Connection connection, RowBatch batch, CopyBinaryEncoder encoder)
      throws SQLException {
    CopyIn copy =
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql + " (FORMAT binary)");
    try {
      if (buffer == null) {
        buffer = new CopyBuffer(CHUNK_CHARS + 65_536);
      }
      buffer.reset();
      buffer.write(BINARY_HEADER, 0, BINARY_HEADER.length);
      long bytes = 0;
      for (Object[] row : batch.rows()) {
        encoder.appendRow(buffer, row);
        if (buffer.size() >= CHUNK_CHARS) {
          bytes += flush(copy, buffer);
        }
      }
      buffer.write(BINARY_TRAILER, 0, BINARY_TRAILER.length);
      bytes += flush(copy, buffer);
      return Loaded.of(copy.endCopy(), bytes);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  private static long flush(CopyIn copy, CopyBuffer buffer) throws SQLException {
    int n = buffer.size();
    copy.writeToCopy(buffer.array(), 0, n);
    buffer.reset();
    return n;
  }

  /**
   * The staging table's column types in the order of the target's columns; empty for a missing
   * column.
   */
  private List<String> stagingTypes(Connection connection) throws SQLException {
    Map<String, String> byName = new HashMap<>();
    try (PreparedStatement ps = connection.prepareStatement(STAGING_TYPES)) {
      ps.setString(1, target.dialect().qualified(target.staging()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          byName.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    List<String> types = new ArrayList<>();
    for (Column c : target.columns()) {
      String type = byName.get(c.name());
      types.add(type == null ? "" : type);
    }
    return types;
  }

  /** Streams binary COPY tuples read from a PostgreSQL source as they are. */
  private Loaded loadBinary(Connection connection, RowBatch batch) throws SQLException {
    CopyIn copy =
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql + " (FORMAT binary)");
    try {
      byte[] payload = batch.copyBinaryPayload();
      copy.writeToCopy(BINARY_HEADER, 0, BINARY_HEADER.length);
      copy.writeToCopy(payload, 0, payload.length);
      copy.writeToCopy(BINARY_TRAILER, 0, BINARY_TRAILER.length);
      return Loaded.of(
          copy.endCopy(), BINARY_HEADER.length + payload.length + BINARY_TRAILER.length);
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
