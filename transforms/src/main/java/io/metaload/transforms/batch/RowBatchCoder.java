package io.metaload.transforms.batch;

import io.metaload.metadata.schema.ColumnType;
import io.metaload.metadata.store.RejectRecord;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Encodes a {@link RowBatch} compactly: the identity and column types once per batch, then per row
 * a null bitmap and the non-null values in their binary form (no per-value type tags, no Java
 * serialization).
 */
public final class RowBatchCoder extends CustomCoder<RowBatch> {
  private static final long serialVersionUID = 1L;
  private static final ColumnType[] TYPES = ColumnType.values();
  private static final RowBatchCoder INSTANCE = new RowBatchCoder();

  private RowBatchCoder() {}

  public static RowBatchCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RowBatch batch, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
    out.writeLong(batch.runId());
    out.writeUTF(batch.loadName());
    out.writeInt(batch.partitionId());
    out.writeLong(batch.firstKey());
    out.writeLong(batch.lastKey());
    out.writeLong(batch.rowsRead());
    out.writeLong(batch.readStartedMillis());
    out.writeInt(batch.readRetries());
    if (batch.isCopyBinary()) {
      byte[] payload = batch.copyBinaryPayload();
      out.writeByte(1);
      out.writeInt(batch.rowCount());
      out.writeInt(payload.length);
      out.write(payload);
      out.flush();
      return;
    }
    out.writeByte(0);
    ColumnType[] types = batch.types();
    out.writeShort(types.length);
    for (ColumnType t : types) {
      out.writeByte(t.ordinal());
    }
    List<Object[]> rows = batch.rows();
    out.writeInt(rows.size());
    byte[] nulls = new byte[(types.length + 7) / 8];
    for (Object[] row : rows) {
      Arrays.fill(nulls, (byte) 0);
      for (int c = 0; c < types.length; c++) {
        if (row[c] == null) {
          nulls[c >> 3] |= (byte) (1 << (c & 7));
        }
      }
      out.write(nulls);
      for (int c = 0; c < types.length; c++) {
        if (row[c] != null) {
          ValueCodec.encode(types[c], out, row[c]);
        }
      }
    }
    out.writeInt(batch.rejects().size());
    for (RejectRecord r : batch.rejects()) {
      out.writeInt(r.rowIndex());
      writeText(out, r.step());
      writeText(out, r.reason());
      writeText(out, r.rowJson());
    }
    out.flush();
  }

  @Override
  public RowBatch decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    long runId = in.readLong();
    String load = in.readUTF();
    int partition = in.readInt();
    long firstKey = in.readLong();
    long lastKey = in.readLong();
    long rowsRead = in.readLong();
    long started = in.readLong();
    int retries = in.readInt();
    if (in.readByte() == 1) {
      int rows = in.readInt();
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      return RowBatch.copyBinary(
          runId, load, partition, firstKey, lastKey, rows, started, payload, retries);
    }
    ColumnType[] types = new ColumnType[in.readShort()];
    for (int c = 0; c < types.length; c++) {
      types[c] = TYPES[in.readByte()];
    }
    int count = in.readInt();
    List<Object[]> rows = new ArrayList<>(count);
    byte[] nulls = new byte[(types.length + 7) / 8];
    for (int r = 0; r < count; r++) {
      in.readFully(nulls);
      Object[] row = new Object[types.length];
      for (int c = 0; c < types.length; c++) {
        if ((nulls[c >> 3] & (1 << (c & 7))) == 0) {
          row[c] = ValueCodec.decode(types[c], in);
        }
      }
      rows.add(row);
    }
    RowBatch batch =
        new RowBatch(
            runId, load, partition, firstKey, lastKey, rowsRead, started, types, rows, retries);
    int rejected = in.readInt();
    if (rejected == 0) {
      return batch;
    }
    List<RejectRecord> rejects = new ArrayList<>(rejected);
    for (int r = 0; r < rejected; r++) {
      rejects.add(
          RejectRecord.of(
              runId,
              load,
              partition,
              batch.batchId(),
              in.readInt(),
              readText(in),
              readText(in),
              readText(in)));
    }
    return batch.withRows(types, rows, rejects);
  }

  private static void writeText(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readText(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void verifyDeterministic() {}
}
